using CsCheck;
using Sustain.Core.Ledger;

namespace Sustain.Core.Tests.Ledger;

public class EscrowShortfallTests
{
    private static readonly string Clearing = LedgerAccounts.PaymentsClearing(Guid.Parse("7d1c2f0e-0000-4000-8000-000000000001"));
    private static readonly string Alpha = LedgerAccounts.ProjectEscrow("github.com/acme/alpha");
    private static readonly string Beta = LedgerAccounts.ProjectEscrow("github.com/acme/beta");

    private static Money Usd(long minor) => new(minor, Currency.USD);

    /// <summary>A refund of 1,000 to the organisation, 600 of it out of alpha's escrow and 400 out of beta's.</summary>
    private static LedgerTransaction Refund() =>
        LedgerTransaction.Create(LedgerKinds.Refund, [new(Clearing, Usd(1_000)), new(Alpha, Usd(-600)), new(Beta, Usd(-400))]);

    private static Func<string, Currency, long> Holding(long alpha, long beta) => (account, _) => account == Alpha ? alpha : account == Beta ? beta : 0;

    [Fact]
    public void Leaves_a_refund_alone_when_each_escrow_still_holds_its_part()
    {
        var covered = EscrowShortfall.Cover(Refund(), Holding(600, 5_000));

        Assert.Equal(Refund().Entries, covered.Entries);
    }

    [Fact]
    public void Takes_from_an_escrow_only_what_it_holds_and_has_the_platform_advance_the_rest()
    {
        var covered = EscrowShortfall.Cover(Refund(), Holding(250, 400));

        Assert.Equal(LedgerKinds.Refund, covered.Kind);
        Assert.Contains(new LedgerEntry(Alpha, Usd(-250)), covered.Entries);
        Assert.Contains(new LedgerEntry(LedgerAccounts.PlatformAdvance("github.com/acme/alpha"), Usd(-350)), covered.Entries);
        Assert.Contains(new LedgerEntry(Beta, Usd(-400)), covered.Entries);
        Assert.Contains(new LedgerEntry(Clearing, Usd(1_000)), covered.Entries);
        Assert.Equal(4, covered.Entries.Count);
        Assert.Null(LedgerTransaction.Imbalance(covered.Entries));
    }

    [Fact]
    public void Advances_the_whole_part_of_an_escrow_that_holds_nothing_or_less()
    {
        var covered = EscrowShortfall.Cover(Refund(), Holding(0, -70));

        Assert.DoesNotContain(covered.Entries, e => e.Account == Alpha || e.Account == Beta);
        Assert.Contains(new LedgerEntry(LedgerAccounts.PlatformAdvance("github.com/acme/alpha"), Usd(-600)), covered.Entries);
        Assert.Contains(new LedgerEntry(LedgerAccounts.PlatformAdvance("github.com/acme/beta"), Usd(-400)), covered.Entries);
    }

    [Fact]
    public void Leaves_money_coming_into_an_escrow_alone()
    {
        var reinstated = LedgerTransaction.Create(LedgerKinds.DisputeReinstated, [new(Clearing, Usd(-1_000)), new(Alpha, Usd(1_000))]);

        Assert.Equal(reinstated.Entries, EscrowShortfall.Cover(reinstated, Holding(0, 0)).Entries);
    }

    [Fact]
    public void Names_the_project_of_an_advance_account()
    {
        Assert.Equal("github.com/acme/alpha", LedgerAccounts.AdvancedProjectOf(LedgerAccounts.PlatformAdvance("github.com/acme/alpha")));
        Assert.Null(LedgerAccounts.AdvancedProjectOf(Alpha));
        Assert.Null(LedgerAccounts.ProjectOf(LedgerAccounts.PlatformAdvance("github.com/acme/alpha")));
    }

    [Fact]
    public void Any_refund_against_any_escrow_stays_balanced_leaves_no_escrow_negative_and_advances_exactly_the_shortfall()
    {
        var scenarios = Gen.Select(Gen.Long[1, 5_000_000], Gen.Int[0, 1000], Gen.Long[1, 100_000].Array[1, 8], Gen.OneOf(Gen.Long[-5, 5], Gen.Long[-1_000, 3_000_000]).Array[8], Gen.Double[0, 1]);
        scenarios.Sample((gross, feePermille, weights, held, keptShare) =>
        {
            var split = PaymentSplit.Create(Guid.Parse("7d1c2f0e-0000-4000-8000-000000000002"), new Money(gross, Currency.USD), new Money(gross * feePermille / 10_000, Currency.USD),
                weights.Select((w, i) => new ProjectWeight($"github.com/p/{i}", w)).ToArray());
            if (split.Adjust(LedgerKinds.Refund, gross, (long)(gross * keptShare)) is not { } refund)
                return true;
            long Held(string account) => held[int.Parse(account.Split('/')[^1].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture)];

            var covered = EscrowShortfall.Cover(refund, (account, _) => Held(account));

            long Covered(string account) => covered.Entries.FirstOrDefault(c => c.Account == account).Amount.Minor;
            var escrows = refund.Entries.Where(e => LedgerAccounts.IsProjectEscrow(e.Account)).ToList();
            // An escrow ends no lower than it was when it already stood below zero, and never below zero otherwise.
            var noneNegative = escrows.All(e => Held(e.Account) + Covered(e.Account) >= Math.Min(0, Held(e.Account)));
            var advancedTheShortfall = escrows.All(e =>
                -Covered(LedgerAccounts.PlatformAdvance(LedgerAccounts.ProjectOf(e.Account)!)) == Math.Max(0, -e.Amount.Minor - Math.Max(0, Held(e.Account))));
            var othersUnchanged = refund.Entries.Where(e => !LedgerAccounts.IsProjectEscrow(e.Account)).All(e => covered.Entries.Contains(e));
            return LedgerTransaction.Imbalance(covered.Entries) is null && noneNegative && advancedTheShortfall && othersUnchanged;
        });
    }
}
