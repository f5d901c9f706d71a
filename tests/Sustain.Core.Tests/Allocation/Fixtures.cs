using Sustain.Core.Allocation;
using Sustain.Core.Graphs;

namespace Sustain.Core.Tests.Allocation;

/// <summary>Small products written as edges ("a>b"), whose root is a node named after the product.</summary>
internal static class Fixtures
{
    public static ProductGraph Product(string key, params string[] edges) => Product(key, 1, edges);

    public static ProductGraph Product(string key, double weight, params string[] edges)
    {
        var names = new List<string> { key };
        var index = new Dictionary<string, int>(StringComparer.Ordinal) { [key] = 0 };
        var pairs = new List<(int, int)>();
        foreach (var edge in edges)
        {
            var parts = edge.Split('>');
            pairs.Add((Node(parts[0]), Node(parts[1])));
        }

        return new ProductGraph(key, DependencyGraph.Build(names.Count, pairs.ToArray(), [0]), names, weight);

        int Node(string name)
        {
            if (!index.TryGetValue(name, out var i))
            {
                index[name] = i = names.Count;
                names.Add(name);
            }

            return i;
        }
    }

    /// <summary>A product without dependency information: every package is direct.</summary>
    public static ProductGraph Flat(string key, params string[] packages)
    {
        var names = new List<string> { key };
        names.AddRange(packages);
        return new ProductGraph(key, DependencyGraph.Build(names.Count, [], [0], graphAbsent: true), names);
    }

    /// <summary>A product whose root depends directly on each package named, once per repetition.</summary>
    public static ProductGraph Fan(string key, params (string Prefix, int Count)[] groups) =>
        Product(key, groups.SelectMany(g => Enumerable.Range(0, g.Count).Select(i => $"{key}>{g.Prefix}{i}")).ToArray());

    public static Money Usd(string amount) => Money.Parse(amount, Currency.USD);

    public static AllocationInput Input(Money budget, params ProductGraph[] products) => new() { Budget = budget, Products = products };

    public static Dictionary<string, long> Amounts(this Sustain.Core.Allocation.Allocation allocation) =>
        allocation.Shares.ToDictionary(s => s.ProjectKey, s => s.Amount.Minor);

    public static void AssertSumsToBudget(this Sustain.Core.Allocation.Allocation allocation) =>
        Assert.Equal(allocation.Budget.Minor, allocation.Shares.Sum(s => s.Amount.Minor) + allocation.Unallocated.Minor);

    /// <summary>Every package its own project, grouped by prefix: "lib3" belongs to project "lib".</summary>
    public static IReadOnlyDictionary<string, string> ByPrefix(AllocationInput input) =>
        input.Products.SelectMany(p => p.PackageKeys).Distinct()
            .ToDictionary(k => k, k => k.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'));
}
