using BenchmarkDotNet.Attributes;
using Sustain.Core;
using Sustain.Core.Allocation;
using Sustain.Core.Graphs;

namespace Sustain.Benchmarks;

/// <summary>
/// Allocating a budget over one product's graph at three sizes, ten edges per component, against
/// the floor: a bare pass over the same edges in topological order that only sums. Allocation
/// (condensing the graph, flowing reliance, aggregating to projects, splitting the budget) should
/// grow with the edges as the floor does. The target is 100,000 components and 1,000,000 edges in
/// under a second. The graph itself is built in setup, as an uploaded SBOM's graph would be.
/// </summary>
[MemoryDiagnoser]
public class AllocationBenchmarks
{
    private AllocationInput _input = null!;
    private DependencyGraph _graph = null!;
    private int[] _topological = [];

    public static IEnumerable<GraphSize> Sizes => [new(10_000, 100_000), new(30_000, 300_000), new(100_000, 1_000_000)];

    [ParamsSource(nameof(Sizes))]
    public GraphSize Size { get; set; } = new(10_000, 100_000);

    [GlobalSetup]
    public void Setup()
    {
        _input = SyntheticOrganisation.Input(Size.Components, Size.Edges, packagesPerProject: 3, seed: 1);
        _graph = _input.Products[0].Graph;
        _topological = Enumerable.Range(0, _graph.NodeCount).OrderByDescending(n => _graph.Components[n]).ToArray();
    }

    [Benchmark(Baseline = true, Description = "floor: sum over edges in topological order")]
    public long Floor()
    {
        var value = new long[_graph.NodeCount];
        value[_graph.Roots[0]] = 1;
        var sum = 0L;
        foreach (var node in _topological)
        {
            foreach (var next in _graph.Successors(node))
                value[next] += value[node] + 1;
            sum += value[node];
        }

        return sum;
    }

    [Benchmark(Description = "Allocator.Allocate")]
    public int Allocate() => Allocator.Allocate(_input, AllocationPolicy.Default).Shares.Count;

    public sealed record GraphSize(int Components, int Edges)
    {
        public override string ToString() => $"{Components / 1000}k/{Edges / 1000}k";
    }
}

/// <summary>
/// The what-if: an organisation with 10,000 projects (three products over 30,000 packages) tries
/// another budget and policy on a prepared model. The target is under 100 ms.
/// </summary>
[MemoryDiagnoser]
public class AllocationWhatIfBenchmarks
{
    private static readonly AllocationPolicy Tuned = AllocationPolicy.Default with
    {
        Criticality = true,
        Need = true,
        Minimum = ShareLimit.OfBudget(1),
        Maximum = ShareLimit.OfBudget(200),
    };

    private AllocationModel _model = null!;
    private Money _budget;

    [GlobalSetup]
    public void Setup()
    {
        var input = SyntheticOrganisation.Input(33_000, 200_000, packagesPerProject: 3, seed: 2, products: 3);
        _model = AllocationModel.Prepare(input);
        _budget = input.Budget;
        _model.Allocate(_budget, Tuned);
        if (_model.ProjectKeys.Count is < 9_000 or > 11_000)
            throw new InvalidOperationException($"expected about 10,000 projects, got {_model.ProjectKeys.Count}");
    }

    [Benchmark(Description = "AllocationModel.Allocate, 10k projects, default policy")]
    public int WhatIfDefault() => _model.Allocate(_budget with { Minor = _budget.Minor + 1 }, AllocationPolicy.Default).Shares.Count;

    [Benchmark(Description = "AllocationModel.Allocate, 10k projects, criticality, need, min, max")]
    public int WhatIfTuned() => _model.Allocate(_budget, Tuned).Shares.Count;
}

/// <summary>
/// Synthetic organisations: graphs shaped like real dependency graphs (a few dozen direct
/// dependencies, edges mostly pointing to later packages, a cycle now and then), every
/// <c>packagesPerProject</c> consecutive packages from one repository, a few attributes set.
/// </summary>
internal static class SyntheticOrganisation
{
    public static AllocationInput Input(int components, int edges, int packagesPerProject, int seed, int products = 1)
    {
        var random = new Random(seed);
        var graphs = new List<ProductGraph>();
        var perProduct = components / products;
        for (var p = 0; p < products; p++)
        {
            var offset = p * perProduct * 9 / 10;
            var keys = new string[perProduct + 1];
            keys[0] = $"pkg:generic/product{p}";
            for (var n = 1; n <= perProduct; n++)
                keys[n] = $"pkg:npm/package-{offset + n}";
            var list = new (int, int)[edges / products];
            var direct = Math.Min(50, perProduct);
            for (var i = 0; i < list.Length; i++)
            {
                if (i < direct)
                {
                    list[i] = (0, 1 + i);
                    continue;
                }

                var from = random.Next(1, perProduct + 1);
                var span = Math.Max(1, perProduct - from);
                var to = random.Next(100) == 0 ? random.Next(1, perProduct + 1) : from + 1 + random.Next(Math.Min(span, 2_000));
                list[i] = (from, Math.Min(to, perProduct));
            }

            graphs.Add(new ProductGraph($"product{p}", DependencyGraph.Build(perProduct + 1, list, [0]), keys));
        }

        var projectOf = new Dictionary<string, string>();
        var attributes = new Dictionary<string, ProjectAttributes>();
        foreach (var key in graphs.SelectMany(g => g.PackageKeys.Skip(1)).Distinct())
        {
            var number = int.Parse(key.AsSpan(key.LastIndexOf('-') + 1), provider: null);
            var repo = number / packagesPerProject;
            var project = $"github.com/owner{repo % 97}/repo{repo}";
            projectOf[key] = project;
            attributes.TryAdd(project, new ProjectAttributes
            {
                Archived = number % 101 == 0,
                Dependents = number % 5_000,
                ExistingFunding = new Money(number % 7 * 100_000, Currency.USD),
            });
        }

        return new AllocationInput
        {
            Budget = new Money(250_000_00, Currency.USD),
            Products = graphs,
            ProjectOfPackage = projectOf,
            Projects = attributes,
        };
    }
}
