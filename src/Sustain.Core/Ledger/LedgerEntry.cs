namespace Sustain.Core.Ledger;

/// <summary>
/// One line of a ledger transaction: an amount posted to an account. Positive is a debit (money
/// arriving in an account that holds money, or a cost), negative a credit; see
/// docs/adr/ADR-005-ledger.md for what each account's sign means.
/// </summary>
public readonly record struct LedgerEntry(string Account, Money Amount)
{
    public override string ToString() => $"{Account} {Amount}";
}
