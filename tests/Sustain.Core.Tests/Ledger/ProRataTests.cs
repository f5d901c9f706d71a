using CsCheck;
using Sustain.Core.Ledger;

namespace Sustain.Core.Tests.Ledger;

public class ProRataTests
{
    [Fact]
    public void Gives_the_leftover_cent_to_the_largest_remainder()
    {
        // 100 over 1:1:1 is 33.33 each; the first of the equal remainders takes the cent.
        Assert.Equal([34, 33, 33], ProRata.Spread(100, [1, 1, 1]));
        // 10 over 3:3:4 is 3, 3, 4 exactly.
        Assert.Equal([3, 3, 4], ProRata.Spread(10, [3, 3, 4]));
        // 7 over 1:2 is 2.33 and 4.67: the larger remainder (0.67) takes the unit.
        Assert.Equal([2, 5], ProRata.Spread(7, [1, 2]));
    }

    [Fact]
    public void Gives_nothing_to_a_zero_weight()
    {
        Assert.Equal([0, 999, 0], ProRata.Spread(999, [0, 5, 0]));
    }

    [Fact]
    public void Refuses_to_spread_over_weights_that_are_all_zero()
    {
        var error = Assert.Throws<ArgumentException>(() => ProRata.Spread(5, [0, 0]));
        Assert.Contains("all zero", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Does_not_overflow_with_large_totals_and_weights()
    {
        var parts = ProRata.Spread(long.MaxValue / 2, [long.MaxValue / 3, long.MaxValue / 3]);
        Assert.Equal(long.MaxValue / 2, parts.Sum());
    }

    [Fact]
    public void Parts_always_sum_to_the_total_and_stay_within_one_unit_of_the_exact_share()
    {
        Gen.Select(Gen.Long[0, 10_000_000_000], Gen.Long[0, 1_000_000].Array[1, 30]).Where((_, w) => w.Any(x => x > 0)).Sample((total, weights) =>
        {
            var parts = ProRata.Spread(total, weights);
            var sum = weights.Sum(w => (decimal)w);
            return parts.Sum() == total && parts.Select((p, i) => Math.Abs(p - (total * (decimal)weights[i] / sum))).All(d => d < 1m);
        });
    }
}
