namespace Sustain.Core.Ledger;

/// <summary>
/// A refund or a lost dispute takes each project's part back out of the project's escrow. Money the escrow has
/// already given to the project's maintainers is not taken back from them: the platform pays the part the escrow no
/// longer holds, as an advance (<see cref="LedgerAccounts.PlatformAdvance"/>) that the project's next money repays
/// before its maintainers are given more. So no escrow goes negative, and a dispute that is later won, whose money
/// comes back to the escrow, repays the platform rather than paying the maintainers twice.
/// </summary>
public static class EscrowShortfall
{
    /// <summary><paramref name="transaction"/>, with each escrow's debit limited to what it holds and the rest advanced by the platform.</summary>
    /// <param name="held">The balance of a project escrow account in a currency, in minor units, before the transaction.</param>
    public static LedgerTransaction Cover(LedgerTransaction transaction, Func<string, Currency, long> held)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(held);
        var entries = new List<LedgerEntry>(transaction.Entries.Count);
        foreach (var entry in transaction.Entries)
        {
            var project = entry.Amount.Minor < 0 ? LedgerAccounts.ProjectOf(entry.Account) : null;
            var shortfall = project is null ? 0 : -entry.Amount.Minor - Math.Max(0, held(entry.Account, entry.Amount.Currency));
            if (project is null || shortfall <= 0)
            {
                entries.Add(entry);
                continue;
            }

            entries.Add(entry with { Amount = entry.Amount + new Money(shortfall, entry.Amount.Currency) });
            entries.Add(new LedgerEntry(LedgerAccounts.PlatformAdvance(project), new Money(-shortfall, entry.Amount.Currency)));
        }

        return LedgerTransaction.Create(transaction.Kind, entries);
    }
}
