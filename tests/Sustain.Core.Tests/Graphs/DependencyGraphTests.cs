using CsCheck;
using Sustain.Core.Graphs;

namespace Sustain.Core.Tests.Graphs;

public class DependencyGraphTests
{
    // root 0 -> 1, 2; 1 -> 3; 2 -> 3; 3 -> 4
    private static readonly (int, int)[] Diamond = [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4)];

    [Fact]
    public void Direct_dependencies_are_what_the_root_depends_on()
    {
        var graph = DependencyGraph.Build(5, Diamond, [0]);

        Assert.Equal([1, 2], graph.Direct.Order());
        Assert.Equal(0, graph.Depth(0));
        Assert.Equal(1, graph.Depth(2));
        Assert.Equal(2, graph.Depth(3));
        Assert.Equal(3, graph.Depth(4));
        Assert.Equal(3, graph.MaxDepth);
        Assert.Equal(4, graph.ReachableCount);
    }

    [Fact]
    public void Path_to_a_component_is_a_shortest_one_from_the_root()
    {
        var graph = DependencyGraph.Build(5, Diamond, [0]);

        var path = graph.PathTo(4);

        Assert.Equal(4, path.Count);
        Assert.Equal(0, path[0]);
        Assert.Equal(4, path[^1]);
        Assert.Contains(path[1], new[] { 1, 2 });
        Assert.Equal(3, path[2]);
    }

    [Fact]
    public void Without_roots_the_entry_points_are_direct()
    {
        var graph = DependencyGraph.Build(4, [(0, 1), (1, 2)], []);

        Assert.Equal([0, 3], graph.Direct.Order());
        Assert.Equal(3, graph.Depth(2));
    }

    [Fact]
    public void Path_to_an_entry_point_starts_at_the_entry_point_when_no_root_names_it()
    {
        var graph = DependencyGraph.Build(3, [(1, 2)], [0]);

        Assert.Equal([1, 2], graph.PathTo(2));
    }

    [Fact]
    public void Without_a_graph_every_component_is_direct()
    {
        var graph = DependencyGraph.Build(3, [], [0], graphAbsent: true);

        Assert.True(graph.GraphAbsent);
        Assert.Equal([1, 2], graph.Direct.Order());
        Assert.Equal(1, graph.MaxDepth);
    }

    [Fact]
    public void A_root_that_names_no_dependencies_falls_back_to_entry_points()
    {
        var graph = DependencyGraph.Build(4, [(1, 2), (2, 3)], [0]);

        Assert.Equal([1], graph.Direct);
        Assert.Equal(3, graph.Depth(3));
    }

    [Fact]
    public void Cycles_are_found_and_do_not_trap_the_walk()
    {
        // 0 -> 1 -> 2 -> 3 -> 1 (cycle 1,2,3); 3 -> 4
        var graph = DependencyGraph.Build(5, [(0, 1), (1, 2), (2, 3), (3, 1), (3, 4)], [0]);

        var cycle = Assert.Single(graph.Cycles);
        Assert.Equal([1, 2, 3], cycle);
        Assert.Equal(graph.Components[1], graph.Components[3]);
        Assert.NotEqual(graph.Components[1], graph.Components[4]);
        Assert.Equal(4, graph.Depth(4));
    }

    [Fact]
    public void A_cycle_that_nothing_enters_is_an_entry_point()
    {
        var graph = DependencyGraph.Build(3, [(0, 1), (1, 0), (1, 2)], []);

        Assert.Equal([0, 1], graph.Direct.Order());
        Assert.Equal(2, graph.Depth(2));
    }

    [Fact]
    public void Unreachable_components_have_no_depth_and_no_path()
    {
        var graph = DependencyGraph.Build(4, [(0, 1), (2, 3)], [0]);

        Assert.Equal(-1, graph.Depth(3));
        Assert.Empty(graph.PathTo(3));
        Assert.False(graph.IsReachable(2));
    }

    [Fact]
    public void A_very_deep_chain_does_not_overflow_the_stack()
    {
        const int n = 200_000;
        var edges = Enumerable.Range(0, n - 1).Select(i => (i, i + 1)).ToArray();

        var graph = DependencyGraph.Build(n, edges, [0]);

        Assert.Equal(n - 1, graph.MaxDepth);
        Assert.Equal(n, graph.ComponentCount);
    }

    private static readonly Gen<(int Nodes, (int, int)[] Edges)> RandomGraphs =
        Gen.Int[1, 40].SelectMany(n => Gen.Select(Gen.Int[0, n - 1], Gen.Int[0, n - 1]).Array[0, 120].Select(e => (n, e)));

    [Fact]
    public void Every_edge_from_a_reached_node_reaches_a_node_at_most_one_deeper()
    {
        RandomGraphs.Sample(g =>
        {
            var graph = DependencyGraph.Build(g.Nodes, g.Edges, [0]);
            foreach (var (from, to) in g.Edges)
            {
                if (graph.Depth(from) >= 1 && to != 0)
                    Assert.InRange(graph.Depth(to), 1, graph.Depth(from) + 1);
            }
        });
    }

    [Fact]
    public void Paths_follow_edges_and_have_the_reported_depth()
    {
        RandomGraphs.Sample(g =>
        {
            var graph = DependencyGraph.Build(g.Nodes, g.Edges, [0]);
            var edges = g.Edges.ToHashSet();
            for (var node = 1; node < g.Nodes; node++)
            {
                var path = graph.PathTo(node);
                if (path.Count == 0)
                    continue;
                var startsAtRoot = graph.IsRoot(path[0]);
                Assert.Equal(graph.Depth(node), path.Count - (startsAtRoot ? 1 : 0));
                Assert.Equal(node, path[^1]);
                for (var i = 1; i < path.Count; i++)
                    Assert.Contains((path[i - 1], path[i]), edges);
            }
        });
    }

    [Fact]
    public void Nodes_share_a_component_exactly_when_each_reaches_the_other()
    {
        RandomGraphs.Sample(g =>
        {
            var graph = DependencyGraph.Build(g.Nodes, g.Edges, []);
            var reach = Reachability(g.Nodes, g.Edges);
            for (var a = 0; a < g.Nodes; a++)
            {
                for (var b = 0; b < g.Nodes; b++)
                    Assert.Equal(reach[a, b] && reach[b, a], graph.Components[a] == graph.Components[b]);
            }
        });
    }

    private static bool[,] Reachability(int n, (int From, int To)[] edges)
    {
        var reach = new bool[n, n];
        for (var i = 0; i < n; i++)
            reach[i, i] = true;
        foreach (var (from, to) in edges)
            reach[from, to] = true;
        for (var k = 0; k < n; k++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                    reach[i, j] |= reach[i, k] && reach[k, j];
            }
        }

        return reach;
    }
}
