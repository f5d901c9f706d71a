using Microsoft.EntityFrameworkCore;
using Sustain.Core.Ledger;
using Sustain.Data;
using Sustain.Data.Ledger;

namespace Sustain.Web.Pledges;

/// <summary>The ledger's consistency, as an operator sees it: what was checked, and every problem found.</summary>
public sealed record LedgerCheckReport(DateTimeOffset CheckedAt, int Postings, int Lines, int Payments, int Events, IReadOnlyList<string> Problems)
{
    public bool Consistent => Problems.Count == 0;
}

/// <summary>
/// Checks invariant 3 and 4 against the stored ledger: every posting sums to zero per currency, no
/// project escrow or payable is negative, no platform advance is repaid beyond what was advanced, each
/// recorded payment's ledger position matches what its refunds and disputes say it keeps, and every
/// posting was caused by an event that was processed.
/// </summary>
public sealed class LedgerCheck(IDbContextFactory<SustainDbContext> contexts, TimeProvider time)
{
    private const int MaxProblems = 200;

    public async Task<LedgerCheckReport> RunAsync(CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var problems = new List<string>();

        var unbalanced = await db.LedgerLines.GroupBy(l => new { l.PostingId, l.Currency })
            .Select(g => new { g.Key.PostingId, g.Key.Currency, Sum = g.Sum(l => l.AmountMinor) })
            .Where(g => g.Sum != 0).OrderBy(g => g.PostingId).Take(MaxProblems).ToListAsync(cancellation);
        problems.AddRange(unbalanced.Select(u => $"posting {u.PostingId} does not balance: its {u.Currency} lines sum to {u.Sum} minor units"));

        var negative = await db.LedgerLines
            .Where(l => l.ProjectKey != null || l.Account.StartsWith("maintainer:") || l.Account.StartsWith("claim:") || l.Account.StartsWith("payouts:")).Balances()
            .Where(g => g.Sum < 0).OrderBy(g => g.Account).Take(MaxProblems).ToListAsync(cancellation);
        problems.AddRange(negative.Select(n => $"{n.Account} is negative: {n.Sum} {n.Currency} minor units"));

        var overRepaid = await db.LedgerLines.Where(l => l.Account.StartsWith(LedgerAccounts.PlatformAdvancePrefix)).Balances()
            .Where(g => g.Sum > 0).OrderBy(g => g.Account).Take(MaxProblems).ToListAsync(cancellation);
        problems.AddRange(overRepaid.Select(a => $"{a.Account} was repaid {a.Sum} {a.Currency} minor units more than the platform advanced"));

        var payments = await db.PledgePayments.AsNoTracking().Where(p => p.Recorded)
            .Select(p => new { p.Id, p.PaymentIntentId, p.OrganisationId, p.GrossMinor, p.RefundedMinor, p.KeptMinor }).ToListAsync(cancellation);
        var withdrawn = await db.PaymentDisputes.Where(d => !d.Won).GroupBy(d => d.PaymentIntentId)
            .Select(g => new { PaymentIntentId = g.Key, Sum = g.Sum(d => d.AmountMinor) }).ToDictionaryAsync(g => g.PaymentIntentId, g => g.Sum, cancellation);
        var clearing = await db.LedgerLines.Where(l => l.Account.StartsWith("org:"))
            .Join(db.LedgerPostings, l => l.PostingId, p => p.Id, (l, p) => new { p.PaymentId, l.AmountMinor })
            .GroupBy(x => x.PaymentId).Select(g => new { PaymentId = g.Key, Sum = g.Sum(x => x.AmountMinor) })
            .ToDictionaryAsync(g => g.PaymentId ?? Guid.Empty, g => g.Sum, cancellation);
        foreach (var payment in payments)
        {
            var expected = Math.Max(0, payment.GrossMinor - Math.Min(payment.GrossMinor, payment.RefundedMinor) - withdrawn.GetValueOrDefault(payment.PaymentIntentId));
            if (expected != payment.KeptMinor)
                problems.Add($"payment {payment.PaymentIntentId} keeps {payment.KeptMinor} but its refunds and disputes say {expected}");
            if (-clearing.GetValueOrDefault(payment.Id) != payment.KeptMinor)
                problems.Add($"payment {payment.PaymentIntentId} keeps {payment.KeptMinor} but the ledger credits its organisation with {-clearing.GetValueOrDefault(payment.Id)}");
        }

        // Postings that move money already in the ledger (escrow to maintainers, payouts) have no webhook behind them.
        var internalKinds = LedgerKinds.Internal.ToArray();
        var orphans = await db.LedgerPostings.Where(p => !internalKinds.Contains(p.Kind) && (p.EventId == null || !db.ProcessedEvents.Any(e => e.Id == p.EventId)))
            .OrderBy(p => p.Id).Select(p => p.Id).Take(MaxProblems).ToListAsync(cancellation);
        problems.AddRange(orphans.Select(o => $"posting {o} names no processed event"));

        var unpaid = await db.PledgePayments.Where(p => p.Recorded && !db.LedgerPostings.Any(l => l.PaymentId == p.Id && l.Kind == LedgerKinds.Payment))
            .OrderBy(p => p.PaymentIntentId).Select(p => p.PaymentIntentId).Take(MaxProblems).ToListAsync(cancellation);
        problems.AddRange(unpaid.Select(p => $"payment {p} is recorded but has no payment posting"));

        problems.AddRange(await Payouts.PayoutCheck.ProblemsAsync(db, MaxProblems, cancellation));

        return new LedgerCheckReport(
            time.GetUtcNow(),
            await db.LedgerPostings.CountAsync(cancellation),
            await db.LedgerLines.CountAsync(cancellation),
            payments.Count,
            await db.ProcessedEvents.CountAsync(cancellation),
            problems);
    }
}
