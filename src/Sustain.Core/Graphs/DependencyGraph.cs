using Sustain.Core.Sboms;

namespace Sustain.Core.Graphs;

/// <summary>
/// The dependency graph of one document, in compressed adjacency form so a million edges cost a
/// few arrays. It answers what the rest of Sustain asks of a graph: the direct dependencies of the
/// roots, each component's shortest depth and a shortest path to it, what the roots reach, and
/// which components form cycles (strongly connected components, collapsed before reliance flows).
/// </summary>
public sealed class DependencyGraph
{
    private readonly int[] _offsets;
    private readonly int[] _targets;
    private readonly int[] _depth;
    private readonly int[] _parent;
    private readonly bool[] _isRoot;

    private DependencyGraph(int nodeCount, int[] offsets, int[] targets, IReadOnlyList<int> roots, bool graphAbsent)
    {
        NodeCount = nodeCount;
        _offsets = offsets;
        _targets = targets;
        GraphAbsent = graphAbsent;
        Roots = roots;
        _isRoot = new bool[nodeCount];
        foreach (var root in roots)
            _isRoot[root] = true;

        Components = StronglyConnected(out var count);
        ComponentCount = count;
        Direct = FindDirect();
        (_depth, _parent) = BreadthFirst();
        Cycles = FindCycles();
    }

    public int NodeCount { get; }

    public int EdgeCount => _targets.Length;

    /// <summary>True when the document had no dependency information: every component is then direct.</summary>
    public bool GraphAbsent { get; }

    /// <summary>The nodes the document is about (CycloneDX metadata.component, SPDX DESCRIBES).</summary>
    public IReadOnlyList<int> Roots { get; }

    /// <summary>
    /// The direct dependencies: what the roots depend on; where the roots name no dependencies (or
    /// there are none), the entry points of the graph: components nothing else depends on.
    /// </summary>
    public IReadOnlyList<int> Direct { get; }

    /// <summary>The strongly connected component of each node (an id from 0, in reverse topological order).</summary>
    public int[] Components { get; }

    public int ComponentCount { get; }

    /// <summary>The cycles: each a strongly connected component of more than one node, its nodes sorted.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Cycles { get; }

    /// <summary>The deepest shortest depth of any reached component (direct ones are at depth 1).</summary>
    public int MaxDepth { get; private set; }

    public int ReachableCount { get; private set; }

    public static DependencyGraph Build(SbomDocument document)
    {
        var edges = new (int From, int To)[document.Edges.Count];
        for (var i = 0; i < edges.Length; i++)
            edges[i] = (document.Edges[i].From, document.Edges[i].To);
        return Build(document.Components.Count, edges, document.Roots, !document.HasDependencyGraph);
    }

    public static DependencyGraph Build(int nodeCount, ReadOnlySpan<(int From, int To)> edges, IReadOnlyList<int> roots, bool graphAbsent = false)
    {
        var offsets = new int[nodeCount + 1];
        foreach (var (from, to) in edges)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(from);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, nodeCount);
            ArgumentOutOfRangeException.ThrowIfNegative(to);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(to, nodeCount);
            offsets[from + 1]++;
        }

        for (var i = 0; i < nodeCount; i++)
            offsets[i + 1] += offsets[i];
        var targets = new int[edges.Length];
        var fill = offsets[..^1];
        foreach (var (from, to) in edges)
            targets[fill[from]++] = to;
        return new DependencyGraph(nodeCount, offsets, targets, roots, graphAbsent);
    }

    public ReadOnlySpan<int> Successors(int node) => _targets.AsSpan(_offsets[node], _offsets[node + 1] - _offsets[node]);

    public bool IsRoot(int node) => _isRoot[node];

    /// <summary>Shortest depth from the roots: 0 for a root, 1 for a direct dependency, -1 when nothing reaches it.</summary>
    public int Depth(int node) => _depth[node];

    public bool IsReachable(int node) => _depth[node] >= 0;

    /// <summary>The node before this one on a shortest path (<see cref="PathTo"/>), or -1 at the path's start.</summary>
    public int ParentOf(int node) => _parent[node];

    /// <summary>
    /// A shortest path to the node along the document's edges: from a root, or from a direct
    /// dependency where no root names it (an entry point); empty when unreachable.
    /// </summary>
    public IReadOnlyList<int> PathTo(int node)
    {
        if (_depth[node] < 0)
            return [];
        var path = new List<int>();
        for (var n = node; n >= 0; n = _parent[n])
            path.Add(n);
        path.Reverse();
        return path;
    }

    private List<int> FindDirect()
    {
        var direct = new List<int>();
        if (GraphAbsent)
        {
            for (var n = 0; n < NodeCount; n++)
            {
                if (!_isRoot[n])
                    direct.Add(n);
            }

            return direct;
        }

        var seen = new bool[NodeCount];
        foreach (var root in Roots)
        {
            foreach (var next in Successors(root))
            {
                if (!_isRoot[next] && !seen[next])
                {
                    seen[next] = true;
                    direct.Add(next);
                }
            }
        }

        if (direct.Count > 0)
            return direct;

        // No root names its dependencies: the entry points are the components that nothing but a root
        // depends on, taken a whole cycle at a time (a cycle nothing enters is an entry point too).
        var entered = new bool[ComponentCount];
        for (var from = 0; from < NodeCount; from++)
        {
            if (_isRoot[from])
                continue;
            foreach (var to in Successors(from))
            {
                if (Components[to] != Components[from])
                    entered[Components[to]] = true;
            }
        }

        for (var n = 0; n < NodeCount; n++)
        {
            if (!_isRoot[n] && !entered[Components[n]])
                direct.Add(n);
        }

        return direct;
    }

    private (int[] Depth, int[] Parent) BreadthFirst()
    {
        var depth = new int[NodeCount];
        var parent = new int[NodeCount];
        Array.Fill(depth, -1);
        Array.Fill(parent, -1);
        var queue = new Queue<int>();
        foreach (var root in Roots)
            depth[root] = 0;
        foreach (var node in Direct)
        {
            depth[node] = 1;
            var root = FirstRootReaching(node);
            parent[node] = root;
            queue.Enqueue(node);
        }

        var reached = Direct.Count;
        var max = Direct.Count > 0 ? 1 : 0;
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in Successors(node))
            {
                if (depth[next] >= 0)
                    continue;
                depth[next] = depth[node] + 1;
                parent[next] = node;
                max = Math.Max(max, depth[next]);
                reached++;
                queue.Enqueue(next);
            }
        }

        MaxDepth = max;
        ReachableCount = reached;
        return (depth, parent);
    }

    private int FirstRootReaching(int node)
    {
        foreach (var root in Roots)
        {
            if (Successors(root).Contains(node))
                return root;
        }

        return -1;
    }

    /// <summary>Tarjan's algorithm, iterative so a deep chain cannot overflow the stack.</summary>
    private int[] StronglyConnected(out int count)
    {
        var index = new int[NodeCount];
        var low = new int[NodeCount];
        var component = new int[NodeCount];
        var onStack = new bool[NodeCount];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Edge)>();
        var next = 0;
        count = 0;
        for (var start = 0; start < NodeCount; start++)
        {
            if (index[start] >= 0)
                continue;
            work.Push((start, _offsets[start]));
            index[start] = low[start] = next++;
            stack.Push(start);
            onStack[start] = true;
            while (work.Count > 0)
            {
                var (node, edge) = work.Pop();
                if (edge < _offsets[node + 1])
                {
                    work.Push((node, edge + 1));
                    var to = _targets[edge];
                    if (index[to] < 0)
                    {
                        index[to] = low[to] = next++;
                        stack.Push(to);
                        onStack[to] = true;
                        work.Push((to, _offsets[to]));
                    }
                    else if (onStack[to])
                    {
                        low[node] = Math.Min(low[node], index[to]);
                    }

                    continue;
                }

                if (low[node] == index[node])
                {
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component[member] = count;
                    }
                    while (member != node);
                    count++;
                }

                if (work.Count > 0)
                {
                    var caller = work.Peek().Node;
                    low[caller] = Math.Min(low[caller], low[node]);
                }
            }
        }

        return component;
    }

    private List<IReadOnlyList<int>> FindCycles()
    {
        var sizes = new int[ComponentCount];
        foreach (var c in Components)
            sizes[c]++;
        var members = new Dictionary<int, List<int>>();
        for (var n = 0; n < NodeCount; n++)
        {
            var c = Components[n];
            if (sizes[c] < 2)
                continue;
            if (!members.TryGetValue(c, out var list))
                members[c] = list = [];
            list.Add(n);
        }

        return members.OrderBy(m => m.Value[0]).Select(m => (IReadOnlyList<int>)m.Value).ToList();
    }
}
