using Sustain.Core.Ledger;

namespace Sustain.Core.Tests.Ledger;

public class LedgerTransactionTests
{
    [Fact]
    public void Refuses_entries_that_do_not_sum_to_zero()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LedgerTransaction.Create(LedgerKinds.Payment,
            [new("a", new Money(100, Currency.USD)), new("b", new Money(-99, Currency.USD))]));
        Assert.Contains("USD entries sum to USD 0.01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Balances_per_currency_not_across_currencies()
    {
        Assert.Throws<InvalidOperationException>(() => LedgerTransaction.Create(LedgerKinds.Payment,
            [new("a", new Money(100, Currency.USD)), new("b", new Money(-100, Currency.EUR))]));
    }

    [Fact]
    public void Merges_entries_for_the_same_account_and_drops_zeros()
    {
        var transaction = LedgerTransaction.Create(LedgerKinds.Refund,
            [new("a", new Money(60, Currency.USD)), new("a", new Money(40, Currency.USD)), new("b", new Money(-100, Currency.USD)), new("c", Money.Zero(Currency.USD))]);
        Assert.Equal([new LedgerEntry("a", new Money(100, Currency.USD)), new LedgerEntry("b", new Money(-100, Currency.USD))], transaction.Entries);
    }

    [Fact]
    public void Needs_two_entries()
    {
        Assert.Throws<InvalidOperationException>(() => LedgerTransaction.Create(LedgerKinds.Payment, [new("a", Money.Zero(Currency.USD))]));
    }

    [Fact]
    public void Account_names_round_trip_to_their_project_and_organisation()
    {
        var organisation = Guid.NewGuid();
        Assert.Equal("github.com/owner/repo", LedgerAccounts.ProjectOf(LedgerAccounts.ProjectEscrow("github.com/owner/repo")));
        Assert.Equal(organisation, LedgerAccounts.OrganisationOf(LedgerAccounts.PaymentsClearing(organisation)));
        Assert.Null(LedgerAccounts.ProjectOf(LedgerAccounts.StripeFees));
        Assert.Null(LedgerAccounts.OrganisationOf(LedgerAccounts.Platform));
    }
}
