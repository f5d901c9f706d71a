using Microsoft.EntityFrameworkCore;
using Sustain.Core.Ledger;
using Sustain.Data;
using Sustain.Data.Payouts;

namespace Sustain.Web.Payouts;

/// <summary>
/// The payout part of the ledger check: each payout's postings match its state (reserved once; then settled once
/// when paid, reversed once when failed), and what is in transit is exactly what open payouts reserved.
/// </summary>
public static class PayoutCheck
{
    public static async Task<IReadOnlyList<string>> ProblemsAsync(SustainDbContext db, int max, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(db);
        var problems = new List<string>();
        var kinds = (await db.LedgerPostings.Where(p => p.PayoutId != null).Select(p => new { p.PayoutId, p.Kind }).ToListAsync(cancellation))
            .ToLookup(p => p.PayoutId!.Value, p => p.Kind);
        var payouts = await db.Payouts.AsNoTracking().Select(p => new { p.Id, p.State, p.Currency, p.AmountMinor }).ToListAsync(cancellation);
        foreach (var payout in payouts)
        {
            var posted = kinds[payout.Id].Order(StringComparer.Ordinal).ToList();
            List<string> expected = payout.State switch
            {
                PayoutState.Paid => [LedgerKinds.PayoutReserved, LedgerKinds.PayoutSettled],
                PayoutState.Failed => [LedgerKinds.PayoutReserved, LedgerKinds.PayoutReversed],
                _ => [LedgerKinds.PayoutReserved],
            };
            expected.Sort(StringComparer.Ordinal);
            if (!posted.SequenceEqual(expected, StringComparer.Ordinal))
                problems.Add($"payout {payout.Id} is {payout.State} but its postings are [{string.Join(", ", posted)}], not [{string.Join(", ", expected)}]");
            if (problems.Count >= max)
                return problems;
        }

        var inTransit = await db.LedgerLines.Where(l => l.Account == LedgerAccounts.PayoutsInTransit).GroupBy(l => l.Currency)
            .Select(g => new { Currency = g.Key, Sum = g.Sum(l => l.AmountMinor) }).ToDictionaryAsync(g => g.Currency, g => g.Sum, cancellation);
        var open = payouts.Where(p => p.State is PayoutState.Pending or PayoutState.Submitted).GroupBy(p => p.Currency).ToDictionary(g => g.Key, g => g.Sum(p => p.AmountMinor));
        foreach (var currency in inTransit.Keys.Union(open.Keys))
        {
            if (inTransit.GetValueOrDefault(currency) != open.GetValueOrDefault(currency))
                problems.Add($"{LedgerAccounts.PayoutsInTransit} holds {inTransit.GetValueOrDefault(currency)} {currency} minor units but open payouts reserved {open.GetValueOrDefault(currency)}");
        }

        return problems;
    }
}
