using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Data;
using Sustain.Data.Ledger;
using Sustain.Data.Pledges;

namespace Sustain.Web.Pledges;

public sealed record PledgeRow(Pledge Pledge, string SnapshotLabel, Money Amount, int Payments, Money Given);

public sealed record PledgeDetail(Pledge Pledge, string SnapshotLabel, Money Amount, IReadOnlyList<PledgePayment> Payments, IReadOnlyList<LedgerPosting> Postings);

public sealed record Receipt(PledgePayment Payment, Pledge Pledge, string SnapshotLabel, Money Gross, Money Fee, Money Kept, IReadOnlyList<ProjectBalance> Projects);

/// <summary>What the pledge pages show, always for one organisation: a pledge or payment of another is simply not found.</summary>
public sealed class PledgeQueries(IDbContextFactory<SustainDbContext> contexts)
{
    public async Task<List<PledgeRow>> ListAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var rows = await db.Pledges.AsNoTracking().Where(p => p.OrganisationId == organisationId)
            .OrderByDescending(p => p.CreatedAt).Take(200)
            .Select(p => new
            {
                Pledge = p,
                Label = db.AllocationSnapshots.Where(s => s.Id == p.SnapshotId).Select(s => s.Label).FirstOrDefault(),
                Payments = db.PledgePayments.Count(x => x.PledgeId == p.Id && x.Recorded),
                Kept = db.PledgePayments.Where(x => x.PledgeId == p.Id && x.Recorded).Sum(x => (long?)x.KeptMinor) ?? 0,
            })
            .ToListAsync(cancellation);
        return rows.Select(r =>
        {
            var currency = Currency.Find(r.Pledge.Currency);
            return new PledgeRow(r.Pledge, r.Label ?? "Allocation", new Money(r.Pledge.AmountMinor, currency), r.Payments, new Money(r.Kept, currency));
        }).ToList();
    }

    public async Task<PledgeDetail?> DetailAsync(Guid organisationId, Guid pledgeId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var pledge = await db.Pledges.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pledgeId && p.OrganisationId == organisationId, cancellation);
        if (pledge is null)
            return null;
        var label = await db.AllocationSnapshots.Where(s => s.Id == pledge.SnapshotId).Select(s => s.Label).FirstOrDefaultAsync(cancellation);
        var payments = await db.PledgePayments.AsNoTracking().Where(p => p.PledgeId == pledge.Id && p.Recorded).OrderByDescending(p => p.PaidAt).ToListAsync(cancellation);
        var postings = await db.LedgerPostings.AsNoTracking().Include(p => p.Lines).Where(p => p.PledgeId == pledge.Id)
            .OrderByDescending(p => p.PostedAt).Take(100).ToListAsync(cancellation);
        return new PledgeDetail(pledge, label ?? "Allocation", new Money(pledge.AmountMinor, Currency.Find(pledge.Currency)), payments, postings);
    }

    public async Task<Pledge?> FindAsync(Guid organisationId, Guid pledgeId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        return await db.Pledges.AsNoTracking().SingleOrDefaultAsync(p => p.Id == pledgeId && p.OrganisationId == organisationId, cancellation);
    }

    public async Task<Receipt?> ReceiptAsync(Guid organisationId, Guid paymentId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var payment = await db.PledgePayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId && p.OrganisationId == organisationId && p.Recorded, cancellation);
        if (payment is null)
            return null;
        var pledge = await db.Pledges.AsNoTracking().SingleAsync(p => p.Id == payment.PledgeId, cancellation);
        var label = await db.AllocationSnapshots.Where(s => s.Id == pledge.SnapshotId).Select(s => s.Label).FirstOrDefaultAsync(cancellation);
        var currency = Currency.Find(payment.Currency);
        var projects = await db.LedgerLines.Where(l => l.ProjectKey != null && db.LedgerPostings.Any(p => p.Id == l.PostingId && p.PaymentId == payment.Id))
            .GroupBy(l => l.ProjectKey!).Select(g => new { Project = g.Key, Sum = g.Sum(l => l.AmountMinor) }).ToListAsync(cancellation);
        return new Receipt(payment, pledge, label ?? "Allocation", new Money(payment.GrossMinor, currency), new Money(payment.FeeMinor, currency), new Money(payment.KeptMinor, currency),
            projects.Where(p => p.Sum != 0).Select(p => new ProjectBalance(p.Project, new Money(p.Sum, currency))).OrderByDescending(p => p.Amount.Minor).ThenBy(p => p.ProjectKey, StringComparer.Ordinal).ToList());
    }
}
