namespace Sustain.Core.Ledger;

/// <summary>Balances derived from entries: never stored, always summed from the ledger.</summary>
public static class LedgerBalances
{
    /// <summary>Each account's balance in each currency it holds, zero balances included.</summary>
    public static IReadOnlyDictionary<(string Account, Currency Currency), Money> Of(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var balances = new Dictionary<(string, Currency), Money>();
        foreach (var entry in entries)
        {
            var key = (entry.Account, entry.Amount.Currency);
            balances[key] = balances.TryGetValue(key, out var balance) ? balance + entry.Amount : entry.Amount;
        }

        return balances;
    }
}
