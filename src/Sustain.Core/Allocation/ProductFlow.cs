using Sustain.Core.Graphs;

namespace Sustain.Core.Allocation;

/// <summary>
/// One product's graph with its cycles collapsed, ready to flow reliance through in a single pass.
/// Each strongly connected component is one node of the condensation; its dependencies are the
/// distinct other components its members depend on. Roots are the product itself: they receive
/// nothing and edges back into them are ignored.
/// </summary>
/// <remarks>
/// Reliance is fixed-point: a product's unit is 2^42 and α is read in 2^-20 steps, so every share
/// is an exact integer. Integer sums do not depend on the order they are taken in, so the same
/// graph gives the same reliance however its edges or nodes were ordered.
/// </remarks>
internal sealed class ProductFlow
{
    public const int UnitBits = 42;
    public const long Unit = 1L << UnitBits;
    public const int AlphaBits = 20;
    private const long AlphaMask = (1L << AlphaBits) - 1;

    private readonly int[] _component;
    private readonly int[] _members;
    private readonly int[] _offsets;
    private readonly int[] _targets;
    private readonly int[] _directComponents;

    public ProductFlow(ProductGraph product, int[] nodePackage)
    {
        Key = product.Key;
        Graph = product.Graph;
        PackageKeys = product.PackageKeys;
        Weight = product.Weight;
        NodePackage = nodePackage;

        var graph = product.Graph;
        var count = graph.ComponentCount;
        _component = graph.Components;
        _members = new int[count];
        for (var n = 0; n < graph.NodeCount; n++)
        {
            if (!graph.IsRoot(n))
                _members[_component[n]]++;
        }

        _directComponents = graph.Direct.Select(d => _component[d]).ToArray();
        (_offsets, _targets) = graph.GraphAbsent ? (new int[count + 1], []) : Condense(graph, _component, count);
    }

    public string Key { get; }

    public DependencyGraph Graph { get; }

    public IReadOnlyList<string> PackageKeys { get; }

    public double Weight { get; }

    /// <summary>The package index of each node; -1 for roots and nodes nothing reaches.</summary>
    public int[] NodePackage { get; }

    /// <summary>
    /// Flows one unit of reliance from the root: each direct dependency gets an equal share; a
    /// component keeps (1 − α) of what reaches it and passes α on, split equally among its
    /// dependencies; a component without dependencies keeps all. What a component keeps is split
    /// equally among its members. Returns each node's reliance in units of 2^-42.
    /// </summary>
    public long[] NodeReliance(int alpha)
    {
        var flow = new long[_members.Length];
        if (_directComponents.Length > 0)
        {
            var each = Unit / _directComponents.Length;
            foreach (var c in _directComponents)
                flow[c] += each;
        }

        // Tarjan numbers components in reverse topological order: every dependency of a component
        // has a smaller id, so walking the ids downwards sees all of a component's inflow first.
        for (var c = flow.Length - 1; c >= 0; c--)
        {
            var inflow = flow[c];
            var start = _offsets[c];
            var degree = _offsets[c + 1] - start;
            if (inflow == 0 || degree == 0)
                continue;
            var passed = (inflow >> AlphaBits) * alpha + (((inflow & AlphaMask) * alpha) >> AlphaBits);
            var each = passed / degree;
            foreach (var target in _targets.AsSpan(start, degree))
                flow[target] += each;
            flow[c] = inflow - each * degree;
        }

        var reliance = new long[_component.Length];
        for (var n = 0; n < reliance.Length; n++)
        {
            if (NodePackage[n] >= 0)
                reliance[n] = flow[_component[n]] / _members[_component[n]];
        }

        return reliance;
    }

    private static (int[] Offsets, int[] Targets) Condense(DependencyGraph graph, int[] component, int count)
    {
        var byComponent = new int[count + 1];
        foreach (var c in component)
            byComponent[c + 1]++;
        for (var c = 0; c < count; c++)
            byComponent[c + 1] += byComponent[c];
        var nodes = new int[component.Length];
        var fill = byComponent[..^1];
        for (var n = 0; n < component.Length; n++)
            nodes[fill[component[n]]++] = n;

        var offsets = new int[count + 1];
        var targets = new List<int>(graph.EdgeCount);
        var seen = new int[count];
        Array.Fill(seen, -1);
        for (var c = 0; c < count; c++)
        {
            foreach (var node in nodes.AsSpan(byComponent[c], byComponent[c + 1] - byComponent[c]))
            {
                if (graph.IsRoot(node))
                    continue;
                foreach (var next in graph.Successors(node))
                {
                    var to = component[next];
                    if (to == c || seen[to] == c || graph.IsRoot(next))
                        continue;
                    seen[to] = c;
                    targets.Add(to);
                }
            }

            offsets[c + 1] = targets.Count;
        }

        return (offsets, targets.ToArray());
    }
}
