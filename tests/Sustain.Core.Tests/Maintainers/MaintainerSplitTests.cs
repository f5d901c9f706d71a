using Sustain.Core.Maintainers;

namespace Sustain.Core.Tests.Maintainers;

public class MaintainerSplitTests
{
    private static readonly HashSet<string> AliceAndBob = ["alice", "bob"];

    [Fact]
    public void Thirds_of_a_hundred_cents_give_the_odd_cent_to_the_largest_remainder()
    {
        SplitShare[] thirds = [new("alice", 3334), new("bob", 3333), new("carol", 3333)];

        var parts = MaintainerSplit.Divide(thirds, 100);

        Assert.Equal([34L, 33L, 33L], parts.Select(p => p.Minor));
    }

    [Fact]
    public void Equal_remainders_go_to_the_larger_share_then_to_the_first_id_in_ordinal_order()
    {
        SplitShare[] halves = [new("bob", 5000), new("alice", 5000)];

        var parts = MaintainerSplit.Divide(halves, 1);

        Assert.Equal([("bob", 0L), ("alice", 1L)], parts.Select(p => (p.MaintainerId, p.Minor)));
    }

    [Fact]
    public void Zero_decimal_money_divides_into_whole_yen()
    {
        var parts = MaintainerSplit.Divide([new("alice", 2500), new("bob", 7500)], new Money(999, Currency.JPY));

        Assert.Equal([(250L, Currency.JPY), (749L, Currency.JPY)], parts.Select(p => (p.Amount.Minor, p.Amount.Currency)));
    }

    [Fact]
    public void A_refund_divides_as_the_negative_of_the_payment()
    {
        SplitShare[] split = [new("alice", 3334), new("bob", 6666)];

        Assert.Equal(MaintainerSplit.Divide(split, 1001).Select(p => -p.Minor), MaintainerSplit.Divide(split, -1001).Select(p => p.Minor));
    }

    [Fact]
    public void Dividing_by_an_invalid_split_is_refused()
    {
        Assert.Throws<ArgumentException>(() => MaintainerSplit.Divide([new("alice", 9_999)], 100));
        Assert.Throws<ArgumentException>(() => MaintainerSplit.Divide([new("alice", 10_001), new("bob", -1)], 100));
        Assert.Throws<ArgumentException>(() => MaintainerSplit.Divide([new("alice", 5_000), new("alice", 5_000)], 100));
    }

    [Fact]
    public void A_valid_split_has_no_errors()
    {
        Assert.Empty(MaintainerSplit.Validate([new("alice", 10_000), new("bob", 0)], AliceAndBob));
    }

    [Fact]
    public void A_sum_other_than_ten_thousand_is_named_with_the_sum()
    {
        var error = Assert.Single(MaintainerSplit.Validate([new("alice", 5_000), new("bob", 4_500)], AliceAndBob));

        Assert.Equal("The shares add up to 95.00% (9,500 basis points); they must add up to exactly 100% (10,000 basis points).", error);
    }

    [Fact]
    public void A_negative_share_is_named_with_the_maintainer()
    {
        var errors = MaintainerSplit.Validate([new("alice", 10_500), new("bob", -500)], AliceAndBob, id => "@" + id);

        Assert.Contains("@bob's share is negative (-5.00%); a share is from 0% to 100%.", errors);
        Assert.Contains("@alice's share is 105.00%; a share is at most 100%.", errors);
    }

    [Fact]
    public void An_unknown_or_repeated_maintainer_is_refused()
    {
        var errors = MaintainerSplit.Validate([new("alice", 5_000), new("mallory", 2_500), new("alice", 2_500)], AliceAndBob);

        Assert.Equal(
            ["mallory is not a verified maintainer of this project, so cannot have a share.", "alice appears more than once; give each maintainer one share."],
            errors);
    }

    [Fact]
    public void An_empty_split_is_refused()
    {
        Assert.Equal(["The split is empty: give at least one maintainer a share."], MaintainerSplit.Validate([], AliceAndBob));
    }

    [Fact]
    public void A_leaving_maintainers_share_goes_to_the_others_in_proportion()
    {
        var after = MaintainerSplit.Without([new("alice", 5_000), new("bob", 3_000), new("carol", 2_000)], "alice");

        Assert.Equal([("bob", 6_000), ("carol", 4_000)], after.Select(s => (s.MaintainerId, s.BasisPoints)));
    }

    [Fact]
    public void When_the_others_hold_nothing_a_leaving_share_is_spread_equally()
    {
        var after = MaintainerSplit.Without([new("alice", 10_000), new("bob", 0), new("carol", 0), new("dave", 0)], "alice");

        Assert.Equal([3_334, 3_333, 3_333], after.Select(s => s.BasisPoints));
    }

    [Fact]
    public void When_nobody_is_left_there_is_no_split()
    {
        Assert.Empty(MaintainerSplit.Without([new("alice", 10_000)], "alice"));
    }

    [Theory]
    [InlineData("50", 5_000)]
    [InlineData("33.34", 3_334)]
    [InlineData(" 0.5 %", 50)]
    [InlineData("100", 10_000)]
    [InlineData("-5", -500)]
    [InlineData("0", 0)]
    public void Percentages_read_exactly_into_basis_points(string text, int expected)
    {
        Assert.True(MaintainerSplit.TryParsePercent(text, out var points, out var error), error);
        Assert.Equal(expected, points);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("abc", "'abc' is not a percentage")]
    [InlineData("12,5", "'12,5' is not a percentage")]
    [InlineData("1e3", "'1e3' is not a percentage")]
    [InlineData("33.333", "more than two decimals")]
    [InlineData("999999999", "is not a percentage")]
    public void Anything_else_is_refused_with_a_reason(string text, string reason)
    {
        Assert.False(MaintainerSplit.TryParsePercent(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3334, "33.34%")]
    [InlineData(10_000, "100.00%")]
    [InlineData(5, "0.05%")]
    [InlineData(-500, "-5.00%")]
    public void Basis_points_format_as_percentages(int basisPoints, string expected)
    {
        Assert.Equal(expected, MaintainerSplit.Percent(basisPoints));
    }
}
