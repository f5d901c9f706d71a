using CsCheck;
using Sustain.Core.Maintainers;

namespace Sustain.Core.Tests.Maintainers;

/// <summary>The division of money by a split, over random valid splits and amounts up to the largest a long holds.</summary>
public class MaintainerSplitPropertyTests
{
    /// <summary>A valid split: 1 to 12 maintainers, basis points drawn as cut points in 0..10,000, so zero shares happen too.</summary>
    private static readonly Gen<SplitShare[]> Splits =
        Gen.Int[1, 12].SelectMany(n => Gen.Int[0, MaintainerSplit.Whole].Array[n - 1].Select(cuts =>
        {
            var points = cuts.Order().Prepend(0).Append(MaintainerSplit.Whole).ToArray();
            return Enumerable.Range(0, n).Select(i => new SplitShare($"m{i:D2}", points[i + 1] - points[i])).ToArray();
        }));

    private static readonly Gen<long> Amounts = Gen.OneOf(Gen.Long[0, 1_000], Gen.Long[0, 10_000_000_000], Gen.Long[long.MaxValue - 1_000, long.MaxValue], Gen.Long[-1_000_000, 0]);

    [Fact]
    public void The_parts_add_up_exactly_to_the_amount()
    {
        Gen.Select(Splits, Amounts).Sample((split, amount) =>
        {
            var parts = MaintainerSplit.Divide(split, amount);

            Assert.Equal((Int128)amount, parts.Aggregate((Int128)0, (sum, p) => sum + p.Minor));
            Assert.Equal(split.Select(s => s.MaintainerId), parts.Select(p => p.MaintainerId));
        });
    }

    [Fact]
    public void Each_part_is_within_one_minor_unit_of_its_exact_share()
    {
        Gen.Select(Splits, Amounts).Sample((split, amount) =>
        {
            var parts = MaintainerSplit.Divide(split, amount);

            for (var i = 0; i < split.Length; i++)
            {
                // |part × 10,000 − amount × bp| < 10,000 is |part − exact| < 1 without leaving integers.
                var gap = ((Int128)parts[i].Minor * MaintainerSplit.Whole) - ((Int128)amount * split[i].BasisPoints);
                Assert.True(Int128.Abs(gap) < MaintainerSplit.Whole, $"{parts[i].MaintainerId} got {parts[i].Minor} of {amount} at {split[i].BasisPoints} bp");
            }
        });
    }

    [Fact]
    public void A_zero_share_gets_nothing_and_no_part_has_the_wrong_sign()
    {
        Gen.Select(Splits, Amounts).Sample((split, amount) =>
        {
            var parts = MaintainerSplit.Divide(split, amount);

            Assert.All(parts.Where((_, i) => split[i].BasisPoints == 0), p => Assert.Equal(0, p.Minor));
            Assert.All(parts, p => Assert.True(amount >= 0 ? p.Minor >= 0 : p.Minor <= 0));
        });
    }

    [Fact]
    public void The_same_split_gives_the_same_parts_whatever_order_its_shares_come_in()
    {
        Gen.Select(Splits, Amounts, Gen.Int).Sample((split, amount, seed) =>
        {
            var shuffled = split.ToArray();
            new Random(seed).Shuffle(shuffled);

            var parts = MaintainerSplit.Divide(split, amount).ToDictionary(p => p.MaintainerId, p => p.Minor);
            var again = MaintainerSplit.Divide(shuffled, amount).ToDictionary(p => p.MaintainerId, p => p.Minor);

            Assert.Equal(parts, again);
        });
    }

    [Fact]
    public void Removing_a_maintainer_leaves_a_valid_split_where_nobody_staying_loses()
    {
        Gen.Select(Splits.Where(s => s.Length >= 2), Gen.Int[0, 11]).Sample((split, pick) =>
        {
            var leaving = split[pick % split.Length].MaintainerId;

            var after = MaintainerSplit.Without(split, leaving);

            Assert.Empty(MaintainerSplit.Validate(after, split.Select(s => s.MaintainerId).Where(id => id != leaving).ToHashSet()));
            Assert.All(after, s => Assert.True(s.BasisPoints >= split.Single(o => o.MaintainerId == s.MaintainerId).BasisPoints));
        });
    }
}
