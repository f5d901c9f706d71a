namespace Sustain.Data.Ledger;

/// <summary>An account's balance in one currency: the sum of its lines, in minor units.</summary>
public sealed class AccountBalance
{
    public required string Account { get; init; }

    public required string Currency { get; init; }

    public long Sum { get; init; }
}

public static class AccountBalances
{
    /// <summary>The balance of each account and currency among <paramref name="lines"/>, summed in the database; compose filters on it before reading.</summary>
    public static IQueryable<AccountBalance> Balances(this IQueryable<LedgerLine> lines) =>
        lines.GroupBy(l => new { l.Account, l.Currency })
            .Select(g => new AccountBalance { Account = g.Key.Account, Currency = g.Key.Currency, Sum = g.Sum(l => l.AmountMinor) });
}
