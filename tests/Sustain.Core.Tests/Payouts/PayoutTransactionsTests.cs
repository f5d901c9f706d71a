using CsCheck;
using Sustain.Core.Ledger;
using Sustain.Core.Maintainers;
using Sustain.Core.Payouts;

namespace Sustain.Core.Tests.Payouts;

public class PayoutTransactionsTests
{
    private const string Project = "github.com/acme/widget";
    private static readonly Dictionary<string, Guid> NobodyContested = [];

    [Fact]
    public void Release_moves_escrow_to_each_maintainer_by_the_split_to_the_cent()
    {
        var release = PayoutTransactions.Release(Project, new Money(1_001, Currency.USD), [new("ana", 6_667), new("bo", 3_333)], NobodyContested)!;

        Assert.Equal(LedgerKinds.EscrowRelease, release.Kind);
        Assert.Contains(new LedgerEntry(LedgerAccounts.ProjectEscrow(Project), new Money(-1_001, Currency.USD)), release.Entries);
        Assert.Contains(new LedgerEntry(LedgerAccounts.MaintainerPayable("ana"), new Money(667, Currency.USD)), release.Entries);
        Assert.Contains(new LedgerEntry(LedgerAccounts.MaintainerPayable("bo"), new Money(334, Currency.USD)), release.Entries);
    }

    [Fact]
    public void A_contested_maintainers_part_is_held_under_their_claim()
    {
        var claim = Guid.Parse("0197a000-0000-7000-8000-0000000000aa");
        var release = PayoutTransactions.Release(Project, new Money(500, Currency.JPY), [new("ana", 5_000), new("bo", 5_000)], new Dictionary<string, Guid> { ["bo"] = claim })!;

        Assert.Contains(new LedgerEntry(LedgerAccounts.ContestedHeld(claim), new Money(250, Currency.JPY)), release.Entries);
        Assert.Contains(new LedgerEntry(LedgerAccounts.MaintainerPayable("ana"), new Money(250, Currency.JPY)), release.Entries);
        Assert.DoesNotContain(release.Entries, e => e.Account == LedgerAccounts.MaintainerPayable("bo"));
        Assert.Equal(claim, LedgerAccounts.HeldClaimOf(LedgerAccounts.ContestedHeld(claim)));
    }

    [Fact]
    public void Releasing_nothing_posts_nothing() =>
        Assert.Null(PayoutTransactions.Release(Project, Money.Zero(Currency.USD), [new("ana", MaintainerSplit.Whole)], NobodyContested));

    [Fact]
    public void Releases_balance_and_pay_every_minor_unit_for_any_amount_and_split() =>
        Gen.Select(Gen.Long[1, 10_000_000_000], Gen.Int[1, 6]).Sample((amount, count) =>
        {
            var shares = MaintainerSplit.Equal([.. Enumerable.Range(0, count).Select(i => $"m{i}")]);
            var release = PayoutTransactions.Release(Project, new Money(amount, Currency.EUR), shares, NobodyContested)!;
            Assert.Null(LedgerTransaction.Imbalance(release.Entries));
            Assert.Equal(amount, release.Entries.Where(e => LedgerAccounts.MaintainerOf(e.Account) is not null).Sum(e => e.Amount.Minor));
        });

    [Fact]
    public void A_payout_reserved_then_settled_leaves_nothing_in_transit_and_the_payable_empty()
    {
        var amount = new Money(2_500, Currency.USD);
        var balances = LedgerBalances.Of([
            new(LedgerAccounts.MaintainerPayable("ana"), amount),
            .. PayoutTransactions.Reserve("ana", amount).Entries,
            .. PayoutTransactions.Settle(amount).Entries]);

        Assert.Equal(0, balances[(LedgerAccounts.MaintainerPayable("ana"), Currency.USD)].Minor);
        Assert.Equal(0, balances[(LedgerAccounts.PayoutsInTransit, Currency.USD)].Minor);
        Assert.Equal(2_500, balances[(LedgerAccounts.PayoutsPaid, Currency.USD)].Minor);
    }

    [Fact]
    public void A_reversed_payout_makes_the_money_payable_again()
    {
        var amount = new Money(1_000, Currency.USD);
        var balances = LedgerBalances.Of([.. PayoutTransactions.Reserve("ana", amount).Entries, .. PayoutTransactions.Reverse("ana", amount).Entries]);

        Assert.Equal(0, balances[(LedgerAccounts.MaintainerPayable("ana"), Currency.USD)].Minor);
        Assert.Equal(0, balances[(LedgerAccounts.PayoutsInTransit, Currency.USD)].Minor);
    }

    [Theory]
    [InlineData(999, true, false)]
    [InlineData(1_000, true, true)]
    [InlineData(50_000, false, false)]
    public void A_maintainer_is_due_a_payout_from_the_minimum_with_an_account_that_takes_payouts(long payable, bool canReceive, bool due) =>
        Assert.Equal(due, PayoutTransactions.IsDue(new Money(payable, Currency.USD), new Money(1_000, Currency.USD), canReceive));

    [Fact]
    public void Respread_moves_expired_escrow_to_the_other_projects_in_proportion()
    {
        var respread = PayoutTransactions.Respread(Project, new Money(1_000, Currency.USD), [new("github.com/a/a", 3), new("github.com/b/b", 1), new(Project, 5)]);

        Assert.Contains(new LedgerEntry(LedgerAccounts.ProjectEscrow("github.com/a/a"), new Money(750, Currency.USD)), respread.Entries);
        Assert.Contains(new LedgerEntry(LedgerAccounts.ProjectEscrow("github.com/b/b"), new Money(250, Currency.USD)), respread.Entries);
        Assert.Contains(new LedgerEntry(LedgerAccounts.ProjectEscrow(Project), new Money(-1_000, Currency.USD)), respread.Entries);
    }

    [Fact]
    public void Maintainer_accounts_name_their_maintainer_and_nothing_else_does()
    {
        Assert.Equal("u-1", LedgerAccounts.MaintainerOf(LedgerAccounts.MaintainerPayable("u-1")));
        Assert.Null(LedgerAccounts.MaintainerOf(LedgerAccounts.ProjectEscrow(Project)));
        Assert.Null(LedgerAccounts.HeldClaimOf(LedgerAccounts.MaintainerPayable("u-1")));
    }
}
