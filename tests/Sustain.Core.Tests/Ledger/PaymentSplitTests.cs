using CsCheck;
using Sustain.Core.Ledger;

namespace Sustain.Core.Tests.Ledger;

public class PaymentSplitTests
{
    private static readonly Guid Acme = Guid.Parse("0197a000-0000-7000-8000-000000000001");

    private static readonly ProjectWeight[] Shares =
    [
        new("github.com/a/a", 5_000),
        new("github.com/b/b", 3_000),
        new("github.com/c/c", 2_000),
    ];

    [Fact]
    public void A_payment_credits_the_organisation_and_puts_the_net_in_escrow_pro_rata()
    {
        var split = PaymentSplit.Create(Acme, new Money(10_000, Currency.USD), new Money(320, Currency.USD), Shares);
        var payment = split.Payment();

        var balances = LedgerBalances.Of(payment.Entries);
        Assert.Equal(new Money(-10_000, Currency.USD), balances[(LedgerAccounts.PaymentsClearing(Acme), Currency.USD)]);
        Assert.Equal(new Money(320, Currency.USD), balances[(LedgerAccounts.StripeFees, Currency.USD)]);
        // 9,680 net over 5:3:2 is 4,840, 2,904 and 1,936 exactly.
        Assert.Equal(new Money(4_840, Currency.USD), balances[(LedgerAccounts.ProjectEscrow("github.com/a/a"), Currency.USD)]);
        Assert.Equal(new Money(2_904, Currency.USD), balances[(LedgerAccounts.ProjectEscrow("github.com/b/b"), Currency.USD)]);
        Assert.Equal(new Money(1_936, Currency.USD), balances[(LedgerAccounts.ProjectEscrow("github.com/c/c"), Currency.USD)]);
        Assert.DoesNotContain(payment.Entries, e => e.Account == LedgerAccounts.Platform);
        Assert.Null(LedgerTransaction.Imbalance(payment.Entries));
    }

    [Fact]
    public void Spreads_a_net_that_does_not_divide_evenly_to_the_cent()
    {
        var split = PaymentSplit.Create(Acme, new Money(1_000, Currency.EUR), new Money(59, Currency.EUR), [new("github.com/a/a", 1), new("github.com/b/b", 1), new("github.com/c/c", 1)]);
        Assert.Equal([314, 314, 313], split.NetShares);
        Assert.Equal(941, split.NetShares.Sum());
    }

    [Fact]
    public void A_full_refund_empties_escrow_and_the_platform_pays_the_fee_stripe_kept()
    {
        var split = PaymentSplit.Create(Acme, new Money(10_000, Currency.USD), new Money(320, Currency.USD), Shares);
        var refund = split.Adjust(LedgerKinds.Refund, 10_000, 0)!;

        var balances = LedgerBalances.Of(split.Payment().Entries.Concat(refund.Entries));
        Assert.Equal(0, balances[(LedgerAccounts.PaymentsClearing(Acme), Currency.USD)].Minor);
        Assert.All(Shares, s => Assert.Equal(0, balances[(LedgerAccounts.ProjectEscrow(s.ProjectKey), Currency.USD)].Minor));
        Assert.Equal(320, balances[(LedgerAccounts.StripeFees, Currency.USD)].Minor);
        Assert.Equal(-320, balances[(LedgerAccounts.Platform, Currency.USD)].Minor);
    }

    [Fact]
    public void A_partial_refund_reverses_each_account_pro_rata()
    {
        var split = PaymentSplit.Create(Acme, new Money(10_000, Currency.USD), new Money(320, Currency.USD), Shares);
        var refund = split.Adjust(LedgerKinds.Refund, 10_000, 7_500)!;

        var entries = refund.Entries.ToDictionary(e => e.Account, e => e.Amount.Minor);
        Assert.Equal(2_500, entries[LedgerAccounts.PaymentsClearing(Acme)]);
        Assert.Equal(-1_210, entries[LedgerAccounts.ProjectEscrow("github.com/a/a")]);
        Assert.Equal(-726, entries[LedgerAccounts.ProjectEscrow("github.com/b/b")]);
        Assert.Equal(-484, entries[LedgerAccounts.ProjectEscrow("github.com/c/c")]);
        Assert.Equal(-80, entries[LedgerAccounts.Platform]);
        Assert.False(entries.ContainsKey(LedgerAccounts.StripeFees));
    }

    [Fact]
    public void Works_in_a_currency_without_minor_units()
    {
        var split = PaymentSplit.Create(Acme, new Money(100_000, Currency.JPY), new Money(3_600, Currency.JPY), Shares);
        Assert.Equal([48_200, 28_920, 19_280], split.NetShares);
        Assert.All(split.Payment().Entries, e => Assert.Equal(Currency.JPY, e.Amount.Currency));
    }

    [Fact]
    public void Refuses_a_fee_larger_than_the_payment()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PaymentSplit.Create(Acme, new Money(100, Currency.USD), new Money(101, Currency.USD), Shares));
    }

    [Fact]
    public void Adjusting_to_the_same_kept_amount_posts_nothing()
    {
        var split = PaymentSplit.Create(Acme, new Money(10_000, Currency.USD), new Money(320, Currency.USD), Shares);
        Assert.Null(split.Adjust(LedgerKinds.Refund, 4_000, 4_000));
    }

    [Fact]
    public void Any_path_of_adjustments_ends_where_a_single_adjustment_would()
    {
        var scenarios = Gen.Select(Gen.Long[1, 5_000_000], Gen.Int[0, 1000], Gen.Long[1, 100_000].Array[1, 8], Gen.Double[0, 1].Array[0, 6]);
        scenarios.Sample((gross, feePermille, weights, steps) =>
        {
            var fee = gross * feePermille / 10_000;
            var split = PaymentSplit.Create(Acme, new Money(gross, Currency.USD), new Money(fee, Currency.USD),
                weights.Select((w, i) => new ProjectWeight($"github.com/p/{i}", w)).ToArray());
            var entries = new List<LedgerEntry>(split.Payment().Entries);
            var kept = gross;
            foreach (var step in steps)
            {
                var next = (long)(gross * step);
                if (split.Adjust(LedgerKinds.Refund, kept, next) is { } adjustment)
                {
                    Assert.Null(LedgerTransaction.Imbalance(adjustment.Entries));
                    entries.AddRange(adjustment.Entries);
                }

                kept = next;
            }

            var walked = LedgerBalances.Of(entries).Where(b => !b.Value.IsZero).ToDictionary(b => b.Key.Account, b => b.Value.Minor);
            var direct = split.PositionAt(kept).Where(e => !e.Amount.IsZero).ToDictionary(e => e.Account, e => e.Amount.Minor);
            return walked.Count == direct.Count && walked.All(b => direct[b.Key] == b.Value)
                && walked.Where(b => LedgerAccounts.IsProjectEscrow(b.Key)).All(b => b.Value >= 0);
        });
    }
}
