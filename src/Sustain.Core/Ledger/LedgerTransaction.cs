namespace Sustain.Core.Ledger;

/// <summary>
/// One money movement: two or more entries that sum to zero in every currency. It can only be built
/// balanced, and a transaction is never edited: a correction is another transaction.
/// </summary>
public sealed class LedgerTransaction
{
    private LedgerTransaction(string kind, IReadOnlyList<LedgerEntry> entries)
    {
        Kind = kind;
        Entries = entries;
    }

    /// <summary>What moved: <c>payment</c>, <c>refund</c>, <c>dispute</c>... (see <see cref="LedgerKinds"/>).</summary>
    public string Kind { get; }

    public IReadOnlyList<LedgerEntry> Entries { get; }

    /// <summary>A balanced transaction of the non-zero entries, with one entry per account and currency.</summary>
    /// <exception cref="InvalidOperationException">when the entries do not sum to zero per currency, or fewer than two remain.</exception>
    public static LedgerTransaction Create(string kind, IEnumerable<LedgerEntry> entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var merged = Merge(entries);
        if (Imbalance(merged) is { } imbalance)
            throw new InvalidOperationException($"A {kind} transaction must sum to zero per currency, but its {imbalance.Currency.Code} entries sum to {imbalance}.");
        if (merged.Count < 2)
            throw new InvalidOperationException($"A {kind} transaction needs at least two non-zero entries; it has {merged.Count}.");
        return new LedgerTransaction(kind, merged);
    }

    /// <summary>The first currency in which <paramref name="entries"/> do not sum to zero, with its sum; null when they balance.</summary>
    public static Money? Imbalance(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var group in entries.GroupBy(e => e.Amount.Currency))
        {
            var sum = group.Aggregate(Money.Zero(group.Key), (total, entry) => total + entry.Amount);
            if (!sum.IsZero)
                return sum;
        }

        return null;
    }

    private static List<LedgerEntry> Merge(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries
            .GroupBy(e => (e.Account, e.Amount.Currency))
            .Select(g => new LedgerEntry(g.Key.Account, g.Aggregate(Money.Zero(g.Key.Currency), (total, entry) => total + entry.Amount)))
            .Where(e => !e.Amount.IsZero)
            .ToList();
    }
}

public static class LedgerKinds
{
    public const string Payment = "payment";
    public const string Refund = "refund";
    public const string Dispute = "dispute";
    public const string DisputeReinstated = "dispute-reinstated";

    /// <summary>Escrow moved to a project's maintainers (payable, or held for a contested one).</summary>
    public const string EscrowRelease = "escrow-release";

    /// <summary>A contest decided: held money to the upheld claimant's payable, or back to the project's escrow.</summary>
    public const string HeldRelease = "held-release";

    /// <summary>Expired unclaimed escrow spread over the pledging organisation's other projects.</summary>
    public const string EscrowRespread = "escrow-respread";

    /// <summary>A payout written before Stripe is called: payable to in transit.</summary>
    public const string PayoutReserved = "payout-reserved";

    /// <summary>A payout Stripe transferred: in transit to paid.</summary>
    public const string PayoutSettled = "payout-settled";

    /// <summary>A payout Stripe refused: in transit back to payable.</summary>
    public const string PayoutReversed = "payout-reversed";

    /// <summary>A project's money paying back what the platform advanced of a refund or dispute (see <see cref="LedgerAccounts.PlatformAdvance"/>).</summary>
    public const string AdvanceRepaid = "advance-repaid";

    /// <summary>Postings that move money already in the ledger rather than record an external payment event.</summary>
    public static IReadOnlyList<string> Internal { get; } = [EscrowRelease, HeldRelease, EscrowRespread, AdvanceRepaid, PayoutReserved, PayoutSettled, PayoutReversed];

    public static bool IsInternal(string kind) => Internal.Contains(kind);
}
