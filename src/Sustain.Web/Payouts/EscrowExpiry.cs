using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Core;
using Sustain.Core.Ledger;
using Sustain.Core.Payouts;
using Sustain.Data;
using Sustain.Data.Ledger;
using Sustain.Data.Payouts;
using Sustain.Web.Jobs;
using Sustain.Web.Maintainers;

namespace Sustain.Web.Payouts;

/// <summary>
/// Money does not wait for ever: a payment's part for a project that has no maintainer (nobody has claimed it, or every
/// maintainer has left) after <c>Payouts:EscrowHoldMonths</c> is spread over the other projects of the allocation it was
/// pledged to that have maintainers, in proportion to their shares, and the organisation is told. What the platform
/// advanced the project (see <see cref="EscrowShortfall"/>) is repaid from it first, as from any of the project's money.
/// Each payment's part moves once (its escrow line is then marked released), so the job can run any number of times.
/// </summary>
public sealed class EscrowExpiry(PayoutLedger ledger, IOptions<PayoutOptions> options, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken cancellation) =>
        await ledger.WriteAsync("re-spread expired escrow", db => RespreadAsync(db, cancellation), cancellation);

    private async Task<int> RespreadAsync(SustainDbContext db, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddMonths(-options.Value.EscrowHoldMonths);
        var expired = await db.LedgerLines
            .Where(l => l.ProjectKey != null && l.AmountMinor > 0 && !db.EscrowLineReleases.Any(r => r.LineId == l.Id)
                && !db.MaintainerClaims.Where(MaintainerSplits.IsMaintainerClaim).Any(c => c.ProjectKey == l.ProjectKey))
            .Join(db.LedgerPostings.Where(p => p.PledgeId != null && p.OrganisationId != null && p.PostedAt < cutoff), l => l.PostingId, p => p.Id,
                (l, p) => new { l.Id, l.ProjectKey, l.Currency, l.AmountMinor, p.PledgeId, p.OrganisationId, p.PostedAt })
            .ToListAsync(cancellation);
        var moved = 0;
        foreach (var line in expired.OrderBy(l => l.PostedAt).ThenBy(l => l.Id))
        {
            var project = line.ProjectKey!;
            var available = await SumAsync(db, l => l.ProjectKey == project && l.Currency == line.Currency, cancellation);
            var amount = Math.Clamp(line.AmountMinor, 0, Math.Max(0, available));
            var snapshot = await db.Pledges.Where(p => p.Id == line.PledgeId).Select(p => p.SnapshotId).SingleAsync(cancellation);
            // Only to projects with maintainers to receive it, so money never moves from one unclaimed project to another.
            var others = (await db.AllocationSnapshotShares.Where(s => s.SnapshotId == snapshot && s.ProjectKey != project && s.AmountMinor > 0
                        && db.MaintainerClaims.Where(MaintainerSplits.IsMaintainerClaim).Any(c => c.ProjectKey == s.ProjectKey))
                    .Select(s => new { s.ProjectKey, s.AmountMinor }).ToListAsync(cancellation))
                .OrderBy(s => s.ProjectKey, StringComparer.Ordinal).Select(s => new ProjectWeight(s.ProjectKey, s.AmountMinor)).ToList();
            // With nowhere else to go (no other project of the pledge is claimed), the money keeps waiting.
            if (others.Count == 0)
                continue;
            var currency = Currency.Find(line.Currency);
            var advance = LedgerAccounts.PlatformAdvance(project);
            var owed = -await SumAsync(db, l => l.Account == advance && l.Currency == line.Currency, cancellation);
            if (Math.Min(owed, amount) is var repaid and > 0)
            {
                PayoutLedger.Post(db, PayoutTransactions.Repay(project, new Money(repaid, currency)), $"Escrow of {project} repays what the platform advanced of a refund", now, organisationId: line.OrganisationId);
                amount -= repaid;
            }

            var money = new Money(amount, currency);
            if (amount > 0)
            {
                PayoutLedger.Post(db, PayoutTransactions.Respread(project, money, others),
                    $"Escrow of {project} unclaimed for {options.Value.EscrowHoldMonths} months, spread over the pledge's other projects", now, organisationId: line.OrganisationId);
                db.EscrowNotices.Add(new EscrowNotice
                {
                    OrganisationId = line.OrganisationId!.Value,
                    ProjectKey = project,
                    Currency = money.Currency.Code,
                    AmountMinor = amount,
                    At = now,
                    Text = $"{money} you gave to {project} waited {options.Value.EscrowHoldMonths} months without a maintainer to receive it, so it went to the {others.Count} other project(s) of the same allocation, in proportion to their shares.",
                });
                moved++;
            }

            db.EscrowLineReleases.Add(new EscrowLineRelease { LineId = line.Id, ProjectKey = project, ReleasedMinor = 0, At = now });
        }

        return moved;
    }

    /// <summary>The sum of the ledger lines <paramref name="which"/> selects, counting those this run has posted but not yet saved.</summary>
    private static async Task<long> SumAsync(SustainDbContext db, Expression<Func<LedgerLine, bool>> which, CancellationToken cancellation)
    {
        var saved = await db.LedgerLines.Where(which).SumAsync(l => l.AmountMinor, cancellation);
        var selects = which.Compile();
        return saved + db.ChangeTracker.Entries<LedgerLine>().Where(e => e.State == EntityState.Added && selects(e.Entity)).Sum(e => e.Entity.AmountMinor);
    }
}

/// <summary>Re-spreads escrow that waited past its hold for a maintainer, daily.</summary>
public sealed class EscrowExpiryJob(EscrowExpiry expiry) : IJobHandler<RecurringOccurrence>
{
    public async Task RunAsync(RecurringOccurrence payload, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var moved = await expiry.RunAsync(context.Cancellation);
        await context.ReportProgressAsync(moved, moved, $"{moved} expired escrow part(s) spread over other projects");
    }
}
