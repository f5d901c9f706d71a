using Sustain.Core.Ledger;
using Sustain.Core.Maintainers;

namespace Sustain.Core.Payouts;

/// <summary>
/// The ledger transactions that carry a project's money to its maintainers and out to their connected
/// accounts: escrow → payable (or held, for a contested claimant) → in transit → paid. Each is balanced by
/// construction; the callers decide when, and record what caused it.
/// </summary>
public static class PayoutTransactions
{
    /// <summary>
    /// Moves <paramref name="amount"/> out of <paramref name="projectKey"/>'s escrow, divided exactly by
    /// <paramref name="shares"/>: each maintainer's part to their payable account, except that a maintainer named
    /// in <paramref name="contested"/> (user id → their contested claim) has theirs held until an operator decides.
    /// Null when the amount is zero or every part is zero.
    /// </summary>
    public static LedgerTransaction? Release(string projectKey, Money amount, IReadOnlyList<SplitShare> shares, IReadOnlyDictionary<string, Guid> contested)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(contested);
        ArgumentOutOfRangeException.ThrowIfNegative(amount.Minor, nameof(amount));
        if (amount.IsZero)
            return null;
        var entries = new List<LedgerEntry> { new(LedgerAccounts.ProjectEscrow(projectKey), -amount) };
        foreach (var (maintainer, part) in MaintainerSplit.Divide(shares, amount))
        {
            var account = contested.TryGetValue(maintainer, out var claim) ? LedgerAccounts.ContestedHeld(claim) : LedgerAccounts.MaintainerPayable(maintainer);
            entries.Add(new LedgerEntry(account, part));
        }

        return LedgerTransaction.Create(LedgerKinds.EscrowRelease, entries);
    }

    /// <summary>A contest decided: what <paramref name="claimId"/> held goes to its claimant's payable (upheld) or back to the project's escrow.</summary>
    public static LedgerTransaction ReleaseHeld(Guid claimId, Money amount, string destination) =>
        LedgerTransaction.Create(LedgerKinds.HeldRelease, [new(LedgerAccounts.ContestedHeld(claimId), -amount), new(destination, amount)]);

    /// <summary>
    /// Unclaimed escrow past its hold period, <paramref name="amount"/> of it, spread over <paramref name="others"/>
    /// (the pledging organisation's other projects) in proportion to their weights, exactly.
    /// </summary>
    public static LedgerTransaction Respread(string projectKey, Money amount, IReadOnlyList<ProjectWeight> others)
    {
        ArgumentNullException.ThrowIfNull(others);
        var targets = others.Where(o => o.Weight > 0 && o.ProjectKey != projectKey).ToList();
        if (targets.Count == 0)
            throw new ArgumentException("Escrow is spread over at least one other project with a weight above zero.", nameof(others));
        var parts = ProRata.Spread(amount.Minor, [.. targets.Select(t => t.Weight)]);
        return LedgerTransaction.Create(LedgerKinds.EscrowRespread,
            [new(LedgerAccounts.ProjectEscrow(projectKey), -amount), .. targets.Select((t, i) => new LedgerEntry(LedgerAccounts.ProjectEscrow(t.ProjectKey), new Money(parts[i], amount.Currency)))]);
    }

    /// <summary>A project's escrow paying back <paramref name="amount"/> of what the platform advanced for it.</summary>
    public static LedgerTransaction Repay(string projectKey, Money amount) =>
        Move(LedgerKinds.AdvanceRepaid, LedgerAccounts.ProjectEscrow(projectKey), LedgerAccounts.PlatformAdvance(projectKey), amount);

    /// <summary>A payout written down before Stripe is asked: the maintainer's payable reserved in transit.</summary>
    public static LedgerTransaction Reserve(string userId, Money amount) => Move(LedgerKinds.PayoutReserved, LedgerAccounts.MaintainerPayable(userId), LedgerAccounts.PayoutsInTransit, amount);

    /// <summary>A payout Stripe transferred.</summary>
    public static LedgerTransaction Settle(Money amount) => Move(LedgerKinds.PayoutSettled, LedgerAccounts.PayoutsInTransit, LedgerAccounts.PayoutsPaid, amount);

    /// <summary>A payout Stripe refused: the reservation undone, the maintainer owed it again.</summary>
    public static LedgerTransaction Reverse(string userId, Money amount) => Move(LedgerKinds.PayoutReversed, LedgerAccounts.PayoutsInTransit, LedgerAccounts.MaintainerPayable(userId), amount);

    /// <summary>
    /// Whether a maintainer with <paramref name="payable"/> is paid in this run: at least <paramref name="minimum"/>
    /// (in the same currency), and a connected account Stripe lets receive payouts.
    /// </summary>
    public static bool IsDue(Money payable, Money minimum, bool canReceivePayouts) =>
        canReceivePayouts && payable.Minor > 0 && payable.Currency == minimum.Currency && payable >= minimum;

    private static LedgerTransaction Move(string kind, string from, string to, Money amount)
    {
        if (amount.Minor <= 0)
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A movement between accounts moves more than zero.");
        return LedgerTransaction.Create(kind, [new(from, -amount), new(to, amount)]);
    }
}
