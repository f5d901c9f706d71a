using System.Diagnostics;
using Sustain.Core;
using Sustain.Core.Allocation;
using Sustain.Core.Graphs;
using Sustain.Web.Allocations;
using Xunit.Abstractions;

namespace Sustain.Web.Tests.Allocations;

/// <summary>
/// Times the what-if page's recompute for an organisation with 10,000 projects: what the page does on
/// every change (allocate from the model prepared at load, build the rows, the reasons of the rows on
/// screen and the chart's slices), with no database work. Prints the figures; it asserts only that each
/// allocation sums to its budget, not how fast. Run it with
/// <c>SUSTAIN_TIMING=1 dotnet test tests/Sustain.Web.Tests -c Release --filter "FullyQualifiedName~WhatIfTiming" --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class WhatIfTiming(ITestOutputHelper output)
{
    private const int Projects = 10_000;

    [SkippableFact]
    public void Recomputes_ten_thousand_projects_without_the_database()
    {
        Skip.If(Environment.GetEnvironmentVariable("SUSTAIN_TIMING") != "1", "a timing run: set SUSTAIN_TIMING=1");
        var basis = Basis();
        var prepare = Stopwatch.StartNew();
        var model = basis.Prepare(StoredPolicy.Default);
        output.WriteLine($"prepare (once per page load): {prepare.Elapsed.TotalMilliseconds:N1} ms");

        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var budget = new Money(10_000_000 + (i * 12_345), Currency.USD);
            var settings = PolicySettings.Default with { Alpha = 0.3 + (i % 5 * 0.1), Criticality = i % 2 == 0, Maximum = new LimitSetting(500, null), Minimum = new LimitSetting(1, null) };
            var watch = Stopwatch.StartNew();
            var allocation = model.Allocate(budget, settings.ToPolicy(Currency.USD));
            var rows = ShareRow.Of(allocation, basis);
            var onScreen = rows.Where(r => r.Amount.Minor > 0).Take(25).Select(r => r.Reasons.Packages.Count).Sum();
            var slices = rows.Where(r => r.Amount.Minor > 0).OrderByDescending(r => r.Amount.Minor).Take(8).Count();
            times.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(budget.Minor, allocation.Shares.Sum(s => s.Amount.Minor) + allocation.Unallocated.Minor);
            Assert.True(onScreen > 0 && slices > 0);
        }

        times.Sort();
        output.WriteLine($"recompute over {Projects:N0} projects: median {times[times.Count / 2]:N1} ms, slowest {times[^1]:N1} ms (first {times.Count} runs, α and criticality changing)");
    }

    /// <summary>One product: a root with 100 direct dependencies, each package depending on the next two (a wide tree), one project per package.</summary>
    private static AllocationBasis Basis()
    {
        var nodes = Projects + 1;
        var edges = new List<(int, int)>();
        for (var i = 1; i <= 100; i++)
            edges.Add((0, i));
        for (var i = 1; i < nodes; i++)
        {
            foreach (var child in new[] { (i * 2) + 99, (i * 2) + 100 })
            {
                if (child < nodes)
                    edges.Add((i, child));
            }
        }

        var keys = Enumerable.Range(0, nodes).Select(i => i == 0 ? "app" : $"pkg:npm/p{i}").ToArray();
        var graph = DependencyGraph.Build(nodes, edges.ToArray(), [0]);
        var projectOf = keys.Skip(1).ToDictionary(k => k, k => $"github.com/o/{k[8..]}", StringComparer.Ordinal);
        var attributes = projectOf.Values.ToDictionary(p => p, p => new ProjectAttributes { Dependents = p.Length * 100 }, StringComparer.Ordinal);
        return new AllocationBasis([new ProductGraph("app", graph, keys)], new Dictionary<string, string> { ["app"] = "App" }, projectOf, attributes, new Dictionary<string, string>(), []);
    }
}
