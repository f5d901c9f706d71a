using Sustain.Core.Allocation;
using static Sustain.Core.Tests.Allocation.Fixtures;

namespace Sustain.Core.Tests.Allocation;

/// <summary>Step 1 of the allocation model, on graphs small enough to flow by hand (α = 0.5 unless said).</summary>
public class RelianceFlowTests
{
    private static Dictionary<string, double> Reliance(AllocationPolicy policy, params ProductGraph[] products) =>
        Allocator.Allocate(Input(new Money(1_000_000, Currency.USD), products), policy).Shares.ToDictionary(s => s.ProjectKey, s => s.Reliance);

    private static Dictionary<string, double> Reliance(params ProductGraph[] products) => Reliance(AllocationPolicy.Default, products);

    [Fact]
    public void A_chain_halves_at_each_step_and_the_leaf_keeps_the_rest()
    {
        // app > a > b > c: a receives 1, keeps 0.5, passes 0.5; b keeps 0.25, passes 0.25; c is a leaf and keeps 0.25.
        var reliance = Reliance(Product("app", "app>a", "a>b", "b>c"));

        Assert.Equal(0.5, reliance["a"]);
        Assert.Equal(0.25, reliance["b"]);
        Assert.Equal(0.25, reliance["c"]);
    }

    [Fact]
    public void Direct_dependencies_share_equally_and_pass_alpha_split_among_their_own()
    {
        // app > a, b; a > c, d: a and b receive 0.5 each; b is a leaf (0.5); a keeps 0.25 and passes
        // 0.25, so c and d get 0.125 each.
        var reliance = Reliance(Product("app", "app>a", "app>b", "a>c", "a>d"));

        Assert.Equal(0.25, reliance["a"]);
        Assert.Equal(0.5, reliance["b"]);
        Assert.Equal(0.125, reliance["c"]);
        Assert.Equal(0.125, reliance["d"]);
    }

    [Fact]
    public void A_package_reached_through_several_parents_receives_the_sum()
    {
        // app > a, b; a > c; b > c: a and b keep 0.25 each and each passes 0.25 to c, which keeps 0.5.
        var reliance = Reliance(Product("app", "app>a", "app>b", "a>c", "b>c"));

        Assert.Equal(0.25, reliance["a"]);
        Assert.Equal(0.25, reliance["b"]);
        Assert.Equal(0.5, reliance["c"]);
    }

    [Fact]
    public void A_direct_dependency_also_reached_through_another_receives_both()
    {
        // app > a, b; a > b: a receives 0.5, keeps 0.25 and passes 0.25 to b; b receives 0.5 + 0.25.
        var reliance = Reliance(Product("app", "app>a", "app>b", "a>b"));

        Assert.Equal(0.25, reliance["a"]);
        Assert.Equal(0.75, reliance["b"]);
    }

    [Fact]
    public void A_cycle_is_collapsed_and_its_members_share_what_it_keeps()
    {
        // app > a; a > b; b > a; b > c: {a, b} is one component receiving 1; it keeps 0.5, split
        // 0.25 each, and passes 0.5 to its one dependency c, a leaf.
        var reliance = Reliance(Product("app", "app>a", "a>b", "b>a", "b>c"));

        Assert.Equal(0.25, reliance["a"]);
        Assert.Equal(0.25, reliance["b"]);
        Assert.Equal(0.5, reliance["c"]);
    }

    [Fact]
    public void A_collapsed_cycle_counts_each_dependency_once_however_many_members_name_it()
    {
        // app > a; a <> b; a > c; b > c; b > d: the component {a, b} keeps 0.5 and its dependencies
        // are c and d, once each, so 0.25 each.
        var reliance = Reliance(Product("app", "app>a", "a>b", "b>a", "a>c", "b>c", "b>d"));

        Assert.Equal(0.25, reliance["c"]);
        Assert.Equal(0.25, reliance["d"]);
    }

    [Fact]
    public void Without_a_graph_every_package_is_direct()
    {
        var reliance = Reliance(Flat("app", "a", "b", "c", "d"));

        Assert.All(reliance.Values, r => Assert.Equal(0.25, r));
    }

    [Fact]
    public void Packages_nothing_reaches_get_nothing_and_do_not_appear()
    {
        // x > y hangs off nothing the root reaches.
        var reliance = Reliance(Product("app", "app>a", "x>y"));

        Assert.Equal(1.0, reliance["a"]);
        Assert.False(reliance.ContainsKey("x"));
        Assert.False(reliance.ContainsKey("y"));
    }

    [Fact]
    public void A_dependency_back_on_the_product_is_ignored()
    {
        // app > a > app: a has no dependency but the product itself, so it is a leaf and keeps all.
        var reliance = Reliance(Product("app", "app>a", "a>app"));

        Assert.Equal(1.0, Assert.Single(reliance).Value);
    }

    [Fact]
    public void Alpha_zero_keeps_everything_with_the_direct_dependencies()
    {
        var reliance = Reliance(AllocationPolicy.Default with { Alpha = 0 }, Product("app", "app>a", "a>b"));

        Assert.Equal(1.0, reliance["a"]);
        Assert.Equal(0.0, reliance["b"]);
    }

    [Fact]
    public void Alpha_one_passes_everything_on_to_the_leaves()
    {
        // app > a > b, c: a passes all of 1 on, 0.5 each to b and c.
        var reliance = Reliance(AllocationPolicy.Default with { Alpha = 1 }, Product("app", "app>a", "a>b", "a>c"));

        Assert.Equal(0.0, reliance["a"]);
        Assert.Equal(0.5, reliance["b"]);
        Assert.Equal(0.5, reliance["c"]);
    }

    [Fact]
    public void Packages_of_one_project_add_up()
    {
        // app > a, b, c, d each 0.25; a and b come from one repository.
        var products = new[] { Flat("app", "a", "b", "c", "d") };
        var input = Input(new Money(100, Currency.USD), products) with
        {
            ProjectOfPackage = new Dictionary<string, string> { ["a"] = "github.com/o/ab", ["b"] = "github.com/o/ab" },
        };

        var allocation = Allocator.Allocate(input, AllocationPolicy.Default);

        Assert.Equal(0.5, allocation.ShareOf("github.com/o/ab")!.Reliance);
        Assert.Equal(50, allocation.ShareOf("github.com/o/ab")!.Amount.Minor);
        Assert.Null(allocation.ShareOf("a"));
    }

    [Fact]
    public void Products_are_weighted_and_package_weights_sum_over_products()
    {
        // Product one (weight 3) relies wholly on a; product two (weight 1) on a and b, 0.5 each:
        // a = (3 × 1 + 1 × 0.5) / 4 = 0.875, b = 0.125.
        var reliance = Reliance(Flat("one", "a") with { Weight = 3 }, Flat("two", "a", "b"));

        // Weights are applied in fixed point (2^-42 of a product's reliance), hence the precision.
        Assert.Equal(0.875, reliance["a"], 12);
        Assert.Equal(0.125, reliance["b"], 12);
    }

    [Fact]
    public void The_policy_overrides_a_products_weight()
    {
        var policy = AllocationPolicy.Default with { ProductWeights = new Dictionary<string, double> { ["one"] = 0 } };

        var reliance = Reliance(policy, Flat("one", "a"), Flat("two", "b"));

        Assert.Equal(0.0, reliance["a"]);
        Assert.Equal(1.0, reliance["b"]);
    }

    [Fact]
    public void Each_share_names_the_products_and_packages_that_carried_reliance_to_it()
    {
        var input = Input(new Money(100, Currency.USD), Product("app", "app>a", "a>c"), Flat("cli", "c", "d")) with
        {
            ProjectOfPackage = new Dictionary<string, string> { ["c"] = "github.com/o/cd", ["d"] = "github.com/o/cd" },
        };

        var share = Allocator.Allocate(input, AllocationPolicy.Default).ShareOf("github.com/o/cd")!;

        // app: c keeps 0.5 (a leaf below a); cli: c and d 0.5 each. Heaviest first, ties by product then package.
        Assert.Equal(
            [new("app", "c", 0.5), new("cli", "c", 0.5), new("cli", "d", 0.5)],
            share.Contributions);
    }

    [Fact]
    public void The_path_is_a_shortest_one_from_the_product_root_to_the_heaviest_package()
    {
        // app > a > b > c and app > x > c: c is reached in two steps through x.
        var input = Input(new Money(100, Currency.USD), Product("app", "app>a", "a>b", "b>c", "app>x", "x>c"));

        var share = Allocator.Allocate(input, AllocationPolicy.Default).ShareOf("c")!;

        Assert.Equal("app", share.PathProduct);
        Assert.Equal(["app", "x", "c"], share.Path);
    }
}
