using Sustain.Core.Allocation;
using static Sustain.Core.Tests.Allocation.Fixtures;

namespace Sustain.Core.Tests.Allocation;

/// <summary>Steps 2 to 5 of the allocation model: modifiers, pins, minimum and maximum, rounding, reasons.</summary>
public class AllocatorTests
{
    // app > a, b; a > c, d: reliance a 0.25, b 0.5, c 0.125, d 0.125.
    private static readonly ProductGraph Tree = Product("app", "app>a", "app>b", "a>c", "a>d");

    private static readonly Money Usd800 = new(800_00, Currency.USD);

    [Fact]
    public void The_budget_is_split_in_proportion_to_reliance()
    {
        var allocation = Allocator.Allocate(Input(Usd800, Tree), AllocationPolicy.Default);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 200_00, ["b"] = 400_00, ["c"] = 100_00, ["d"] = 100_00 }, allocation.Amounts());
        Assert.Equal(["b", "a", "c", "d"], allocation.Shares.Select(s => s.ProjectKey));
        Assert.All(allocation.Shares, s => Assert.Equal(ShareStatus.Funded, s.Status));
        Assert.Equal(0, allocation.Unallocated.Minor);
        Assert.Null(allocation.UnallocatedReason);
    }

    [Fact]
    public void Leftover_minor_units_go_to_the_largest_remainders_and_ties_to_the_earlier_key()
    {
        // Three equal shares of 100 cents: 33.33 each; the one cent left goes to "a".
        var allocation = Allocator.Allocate(Input(new Money(100, Currency.USD), Flat("app", "c", "b", "a")), AllocationPolicy.Default);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 34, ["b"] = 33, ["c"] = 33 }, allocation.Amounts());
    }

    [Fact]
    public void The_largest_remainder_wins_over_the_earlier_key()
    {
        // Reliance a 0.25, b 0.5, c 0.125, d 0.125 of 7 cents: quotas 1.75, 3.5, 0.875, 0.875;
        // floors 1 + 3 + 0 + 0 leave 3 cents, to c (0.875), d (0.875, after c by key) and a (0.75).
        var allocation = Allocator.Allocate(Input(new Money(7, Currency.USD), Tree), AllocationPolicy.Default);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 2, ["b"] = 3, ["c"] = 1, ["d"] = 1 }, allocation.Amounts());
    }

    [Fact]
    public void More_projects_than_minor_units_gives_some_one_unit_and_the_rest_nothing()
    {
        var packages = Enumerable.Range(0, 10).Select(i => $"p{i}").ToArray();

        var allocation = Allocator.Allocate(Input(new Money(5, Currency.JPY), Flat("app", packages)), AllocationPolicy.Default);

        Assert.Equal(new Dictionary<string, long> { ["p0"] = 1, ["p1"] = 1, ["p2"] = 1, ["p3"] = 1, ["p4"] = 1, ["p5"] = 0, ["p6"] = 0, ["p7"] = 0, ["p8"] = 0, ["p9"] = 0 }, allocation.Amounts());
        allocation.AssertSumsToBudget();
    }

    [Fact]
    public void A_zero_budget_gives_every_project_zero()
    {
        var allocation = Allocator.Allocate(Input(Money.Zero(Currency.EUR), Tree), AllocationPolicy.Default);

        Assert.All(allocation.Shares, s => Assert.Equal(Money.Zero(Currency.EUR), s.Amount));
        Assert.Equal(4, allocation.Shares.Count);
        Assert.Equal(Money.Zero(Currency.EUR), allocation.Unallocated);
    }

    [Fact]
    public void A_single_project_receives_the_whole_budget()
    {
        var allocation = Allocator.Allocate(Input(new Money(12_345, Currency.JPY), Product("app", "app>a", "a>b")) with
        {
            ProjectOfPackage = new Dictionary<string, string> { ["a"] = "r", ["b"] = "r" },
        }, AllocationPolicy.Default);

        var share = Assert.Single(allocation.Shares);
        Assert.Equal(new Money(12_345, Currency.JPY), share.Amount);
        Assert.Equal(1.0, share.Reliance);
    }

    [Fact]
    public void Excluded_projects_get_zero_with_the_reason_and_the_rest_is_re_spread()
    {
        var input = Input(Usd800, Tree) with
        {
            Projects = new Dictionary<string, ProjectAttributes>
            {
                ["a"] = new() { OwnedByOrganisation = true },
                ["c"] = new() { Archived = true },
                ["d"] = new() { OwnedByCompany = true },
            },
            Excluded = ["b"],
        };

        var allocation = Allocator.Allocate(input, AllocationPolicy.Default);

        Assert.All(allocation.Shares, s => Assert.Equal((ShareStatus.Excluded, 0L), (s.Status, s.Amount.Minor)));
        Assert.Equal("excluded: the organisation's own project", Assert.Single(allocation.ShareOf("a")!.Notes));
        Assert.Equal("excluded: on the organisation's exclude list", Assert.Single(allocation.ShareOf("b")!.Notes));
        Assert.Equal("excluded: archived", Assert.Single(allocation.ShareOf("c")!.Notes));
        Assert.Equal("excluded: owned by a company", Assert.Single(allocation.ShareOf("d")!.Notes));
        Assert.Equal(Usd800, allocation.Unallocated);
        Assert.Equal("every project is excluded by the policy or the exclude list", allocation.UnallocatedReason);
        allocation.AssertSumsToBudget();
    }

    [Fact]
    public void An_excluded_projects_money_goes_to_the_others_in_proportion()
    {
        // b (0.5) excluded: a 0.25, c 0.125, d 0.125 share 800 as 2 : 1 : 1.
        var allocation = Allocator.Allocate(Input(Usd800, Tree) with { Excluded = ["b"] }, AllocationPolicy.Default);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 400_00, ["b"] = 0, ["c"] = 200_00, ["d"] = 200_00 }, allocation.Amounts());
        Assert.Equal("b", allocation.Shares[^1].ProjectKey);
    }

    [Fact]
    public void Exclusion_rules_can_be_switched_off()
    {
        var input = Input(Usd800, Tree) with
        {
            Projects = new Dictionary<string, ProjectAttributes>
            {
                ["a"] = new() { OwnedByOrganisation = true },
                ["c"] = new() { Archived = true },
                ["d"] = new() { OwnedByCompany = true },
            },
        };
        var policy = AllocationPolicy.Default with { ExcludeOwnProjects = false, ExcludeArchived = false, ExcludeCompanyOwned = false };

        var allocation = Allocator.Allocate(input, policy);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 200_00, ["b"] = 400_00, ["c"] = 100_00, ["d"] = 100_00 }, allocation.Amounts());
    }

    [Fact]
    public void Criticality_multiplies_by_one_plus_the_log_of_one_plus_dependents()
    {
        // a and b rely equally; b has e² − 1 ≈ 6.389 dependents, rounded to 6: factor 1 + ln 7 ≈ 2.946.
        var input = Input(new Money(1_000_000, Currency.USD), Flat("app", "a", "b")) with
        {
            Projects = new Dictionary<string, ProjectAttributes> { ["b"] = new() { Dependents = 6 } },
        };

        var allocation = Allocator.Allocate(input, AllocationPolicy.Default with { Criticality = true });

        var factor = 1 + Math.Log(7);
        Assert.Equal((long)Math.Round(1_000_000 * factor / (1 + factor)), allocation.ShareOf("b")!.Amount.Minor);
        Assert.Equal("criticality ×2.95 (6 dependents)", Assert.Single(allocation.ShareOf("b")!.Notes));
        Assert.Equal("criticality ×1.00 (0 dependents)", Assert.Single(allocation.ShareOf("a")!.Notes));
    }

    [Fact]
    public void Need_divides_by_one_plus_the_log_of_one_plus_existing_funding_in_major_units()
    {
        // b already receives USD 1,000.00 a year: factor 1 / (1 + ln 1001) ≈ 0.1265; a has nothing known.
        var input = Input(new Money(1_000_000, Currency.USD), Flat("app", "a", "b")) with
        {
            Projects = new Dictionary<string, ProjectAttributes> { ["b"] = new() { ExistingFunding = Usd("1000") } },
        };

        var allocation = Allocator.Allocate(input, AllocationPolicy.Default with { Need = true });

        var factor = 1 / (1 + Math.Log(1001));
        Assert.Equal((long)Math.Round(1_000_000 * factor / (1 + factor)), allocation.ShareOf("b")!.Amount.Minor);
        Assert.Equal("need ×0.13 (USD 1,000.00 existing funding)", Assert.Single(allocation.ShareOf("b")!.Notes));
        Assert.Equal("need ×1.00 (no known existing funding)", Assert.Single(allocation.ShareOf("a")!.Notes));
    }

    [Fact]
    public void Shares_below_the_minimum_are_dropped_and_re_spread()
    {
        // Minimum 15% of 800 = 120: c and d (100 each) are dropped together; a and b share 800 as 1 : 2.
        var allocation = Allocator.Allocate(Input(Usd800, Tree), AllocationPolicy.Default with { Minimum = ShareLimit.OfBudget(1_500) });

        Assert.Equal(new Dictionary<string, long> { ["a"] = 266_67, ["b"] = 533_33, ["c"] = 0, ["d"] = 0 }, allocation.Amounts());
        Assert.Equal(ShareStatus.BelowMinimum, allocation.ShareOf("c")!.Status);
        Assert.Equal("below the minimum share (15% of the budget): dropped and its money re-spread", Assert.Single(allocation.ShareOf("d")!.Notes));
    }

    [Fact]
    public void A_share_just_under_the_minimum_survives_when_dropping_a_smaller_one_lifts_it()
    {
        // 50 direct packages in four projects of 25, 10, 9 and 6: shares 50%, 20%, 18% and 12% of
        // USD 44.00. With a minimum of 19%, d goes first; then c has 9/44 = 20.45% and stays.
        var input = Input(new Money(44_00, Currency.USD), Fan("app", ("a", 25), ("b", 10), ("c", 9), ("d", 6)));
        input = input with { ProjectOfPackage = ByPrefix(input) };

        var allocation = Allocator.Allocate(input, AllocationPolicy.Default with { Minimum = ShareLimit.OfBudget(1_900) });

        Assert.Equal(new Dictionary<string, long> { ["a"] = 25_00, ["b"] = 10_00, ["c"] = 9_00, ["d"] = 0 }, allocation.Amounts());
    }

    [Fact]
    public void When_no_share_can_reach_the_minimum_the_budget_is_unallocated_with_the_reason()
    {
        var allocation = Allocator.Allocate(Input(new Money(100, Currency.USD), Flat("app", "a", "b")), AllocationPolicy.Default with { Minimum = ShareLimit.Of(Usd("2.00")) });

        Assert.All(allocation.Shares, s => Assert.Equal(ShareStatus.BelowMinimum, s.Status));
        Assert.Equal(100, allocation.Unallocated.Minor);
        Assert.Equal("no project would reach the minimum share (USD 2.00)", allocation.UnallocatedReason);
    }

    [Fact]
    public void Shares_above_the_maximum_are_capped_and_the_excess_re_spread_until_none_is_above()
    {
        // Maximum 30% of 800 = 240. b (400) is capped; 560 over a, c, d (2 : 1 : 1) gives a 280, so a
        // is capped too; 320 over c and d gives 160 each.
        var allocation = Allocator.Allocate(Input(Usd800, Tree), AllocationPolicy.Default with { Maximum = ShareLimit.OfBudget(3_000) });

        Assert.Equal(new Dictionary<string, long> { ["a"] = 240_00, ["b"] = 240_00, ["c"] = 160_00, ["d"] = 160_00 }, allocation.Amounts());
        Assert.Equal(ShareStatus.Capped, allocation.ShareOf("a")!.Status);
        Assert.Equal(ShareStatus.Funded, allocation.ShareOf("c")!.Status);
        Assert.Equal("capped at the maximum share (30% of the budget); the excess went to the others", Assert.Single(allocation.ShareOf("b")!.Notes));
    }

    [Fact]
    public void When_every_project_is_at_the_maximum_the_rest_is_unallocated_with_the_reason()
    {
        var allocation = Allocator.Allocate(Input(new Money(1_000, Currency.USD), Flat("app", "a", "b")), AllocationPolicy.Default with { Maximum = ShareLimit.OfBudget(3_000) });

        Assert.Equal(new Dictionary<string, long> { ["a"] = 300, ["b"] = 300 }, allocation.Amounts());
        Assert.Equal(400, allocation.Unallocated.Minor);
        Assert.Equal("every project is at the maximum share (30% of the budget)", allocation.UnallocatedReason);
        allocation.AssertSumsToBudget();
    }

    [Fact]
    public void A_minimum_above_the_maximum_is_refused()
    {
        var policy = AllocationPolicy.Default with { Minimum = ShareLimit.OfBudget(5_000), Maximum = ShareLimit.OfBudget(1_000) };

        var error = Assert.Throws<ArgumentException>(() => Allocator.Allocate(Input(Usd800, Tree), policy));

        Assert.StartsWith("the minimum share (50% of the budget) is above the maximum share (10% of the budget)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pin_fixes_a_share_and_the_rest_is_spread_over_the_others()
    {
        // b pinned at 25% = 200; 600 over a, c, d as 2 : 1 : 1.
        var allocation = Allocator.Allocate(Input(Usd800, Tree) with { Pins = [Pin.Share("b", 2_500)] }, AllocationPolicy.Default);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 300_00, ["b"] = 200_00, ["c"] = 150_00, ["d"] = 150_00 }, allocation.Amounts());
        Assert.Equal(ShareStatus.Pinned, allocation.ShareOf("b")!.Status);
        Assert.Equal("pinned at 25% of the budget", Assert.Single(allocation.ShareOf("b")!.Notes));
    }

    [Fact]
    public void A_pin_may_name_an_amount_and_a_project_no_product_reaches()
    {
        var allocation = Allocator.Allocate(Input(Usd800, Tree) with { Pins = [Pin.Fixed("github.com/o/docs", Usd("400"))] }, AllocationPolicy.Default);

        var pinned = allocation.ShareOf("github.com/o/docs")!;
        Assert.Equal(Usd("400"), pinned.Amount);
        Assert.Empty(pinned.Contributions);
        Assert.Empty(pinned.Path);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 100_00, ["b"] = 200_00, ["c"] = 50_00, ["d"] = 50_00, ["github.com/o/docs"] = 400_00 }, allocation.Amounts());
    }

    [Fact]
    public void Pins_over_the_whole_budget_are_scaled_down_together_and_nothing_is_left_for_the_rest()
    {
        // 75% + 50% = 125%: scaled to 60% and 40%.
        var input = Input(Usd800, Tree) with { Pins = [Pin.Share("a", 7_500), Pin.Share("b", 5_000)] };

        var allocation = Allocator.Allocate(input, AllocationPolicy.Default);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 480_00, ["b"] = 320_00, ["c"] = 0, ["d"] = 0 }, allocation.Amounts());
        Assert.Contains("the pins add up to more than the budget, so each was scaled down in proportion", allocation.ShareOf("a")!.Notes);
        allocation.AssertSumsToBudget();
    }

    [Fact]
    public void Pins_are_exempt_from_the_minimum_and_maximum()
    {
        var input = Input(Usd800, Tree) with { Pins = [Pin.Share("c", 5_000), Pin.Share("d", 100)] };
        var policy = AllocationPolicy.Default with { Maximum = ShareLimit.OfBudget(4_000), Minimum = ShareLimit.OfBudget(500) };

        var allocation = Allocator.Allocate(input, policy);

        Assert.Equal(400_00, allocation.ShareOf("c")!.Amount.Minor);
        Assert.Equal(8_00, allocation.ShareOf("d")!.Amount.Minor);
        allocation.AssertSumsToBudget();
    }

    [Fact]
    public void An_excluded_project_keeps_nothing_even_when_pinned()
    {
        var input = Input(Usd800, Tree) with { Pins = [Pin.Share("b", 5_000)], Excluded = ["b"] };

        var share = Allocator.Allocate(input, AllocationPolicy.Default).ShareOf("b")!;

        Assert.Equal((ShareStatus.Excluded, 0L), (share.Status, share.Amount.Minor));
        Assert.Equal(["excluded: on the organisation's exclude list", "its pin is ignored because it is excluded"], share.Notes);
    }

    [Fact]
    public void Only_pins_and_no_other_project_leaves_the_unpinned_rest_unallocated()
    {
        var input = Input(Usd800, Flat("app", "a")) with { Pins = [Pin.Share("a", 2_500)] };

        var allocation = Allocator.Allocate(input, AllocationPolicy.Default);

        Assert.Equal(200_00, allocation.ShareOf("a")!.Amount.Minor);
        Assert.Equal(600_00, allocation.Unallocated.Minor);
        Assert.Equal("only pinned projects may be funded, and the pins do not take the whole budget", allocation.UnallocatedReason);
    }

    [Fact]
    public void No_products_means_nothing_to_fund_and_the_budget_unallocated()
    {
        var allocation = Allocator.Allocate(Input(Usd800), AllocationPolicy.Default);

        Assert.Empty(allocation.Shares);
        Assert.Equal(Usd800, allocation.Unallocated);
        Assert.Equal("no product depends on any package, so there is no project to fund", allocation.UnallocatedReason);
    }

    [Fact]
    public void A_pin_in_another_currency_is_refused()
    {
        var input = Input(Usd800, Tree) with { Pins = [Pin.Fixed("a", new Money(100, Currency.EUR))] };

        var error = Assert.Throws<ArgumentException>(() => Allocator.Allocate(input, AllocationPolicy.Default));

        Assert.Contains("project 'a' is pinned at EUR 1.00, not in the budget's currency USD", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Alpha_outside_zero_to_one_is_refused(double alpha)
    {
        Assert.Throws<ArgumentException>(() => Allocator.Allocate(Input(Usd800, Tree), AllocationPolicy.Default with { Alpha = alpha }));
    }

    [Fact]
    public void Duplicate_product_keys_and_double_pins_are_refused()
    {
        Assert.Contains("product 'app' appears twice", Assert.Throws<ArgumentException>(() => AllocationModel.Prepare(Input(Usd800, Tree, Tree))).Message, StringComparison.Ordinal);
        Assert.Contains("project 'a' is pinned twice", Assert.Throws<ArgumentException>(() => AllocationModel.Prepare(Input(Usd800, Tree) with { Pins = [Pin.Share("a", 1), Pin.Share("a", 2)] })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prepared_model_gives_what_a_fresh_allocation_gives_for_each_budget_and_policy()
    {
        var input = Input(Usd800, Tree, Product("web", "web>c", "c>e"));
        var model = AllocationModel.Prepare(input);
        var policies = new[]
        {
            AllocationPolicy.Default,
            AllocationPolicy.Default with { Alpha = 0.2 },
            AllocationPolicy.Default with { Maximum = ShareLimit.OfBudget(2_000) },
            AllocationPolicy.Default,
        };

        foreach (var policy in policies)
        {
            foreach (var budget in new[] { Usd800, new Money(7, Currency.USD) })
            {
                var fresh = Allocator.Allocate(input with { Budget = budget }, policy);
                var again = model.Allocate(budget, policy);
                Assert.Equal(fresh.Amounts(), again.Amounts());
                Assert.Equal(fresh.Shares.Select(s => s.ProjectKey), again.Shares.Select(s => s.ProjectKey));
            }
        }
    }
}
