using CsCheck;
using Sustain.Core.Sboms;

namespace Sustain.Core.Tests.Sboms;

public class SbomBuilderTests
{
    [Fact]
    public void Repeated_edges_are_kept_once_in_the_order_first_given()
    {
        var builder = BuilderWith("a", "b", "c");
        builder.AddEdge("a", "b", DependencyKind.DependsOn);
        builder.AddEdge("b", "c", DependencyKind.DependsOn);
        builder.AddEdge("a", "b", DependencyKind.DependsOn);
        builder.AddEdge("a", "c", DependencyKind.DependsOn);
        builder.AddEdge("b", "c", DependencyKind.DependsOn);

        var document = builder.Build();

        Assert.Equal([new(0, 1, DependencyKind.DependsOn), new(1, 2, DependencyKind.DependsOn), new(0, 2, DependencyKind.DependsOn)], document.Edges);
    }

    [Fact]
    public void Edges_of_different_kinds_between_the_same_components_are_both_kept()
    {
        var builder = BuilderWith("a", "b");
        builder.AddEdge("a", "b", DependencyKind.Build);
        builder.AddEdge("a", "b", DependencyKind.Test);

        Assert.Equal([new(0, 1, DependencyKind.Build), new(0, 1, DependencyKind.Test)], builder.Build().Edges);
    }

    [Fact]
    public void Edges_may_name_components_added_after_them()
    {
        var builder = new SbomBuilder(SbomFormat.CycloneDxJson);
        builder.AddEdge("a", "b", DependencyKind.DependsOn);
        builder.AddEdge("b", "a", DependencyKind.DependsOn);
        Add(builder, "a");
        Add(builder, "b");

        Assert.Equal([new(0, 1, DependencyKind.DependsOn), new(1, 0, DependencyKind.DependsOn)], builder.Build().Edges);
    }

    [Fact]
    public void Edges_naming_no_component_are_skipped_and_counted_in_one_warning()
    {
        var builder = BuilderWith("a", "b");
        builder.AddEdge("a", "missing", DependencyKind.DependsOn);
        builder.AddEdge("gone", "b", DependencyKind.DependsOn);
        builder.AddEdge("a", "b", DependencyKind.DependsOn);

        var document = builder.Build();

        Assert.Equal([new(0, 1, DependencyKind.DependsOn)], document.Edges);
        var warning = Assert.Single(document.Warnings, w => w.Message.Contains("not in the document", StringComparison.Ordinal));
        Assert.Contains("'missing' is not a component", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'gone' is not a component", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_the_first_of_each_repeated_edge_in_order_whatever_the_order_edges_come_in()
    {
        // Runs of edges from one component, repeats within and across runs, self-edges and long runs.
        var edge = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 5], Gen.Int[0, 2]);
        var runs = Gen.Select(Gen.Int[0, 5], Gen.Select(Gen.Int[0, 5], Gen.Int[0, 2]).List[0, 40]).List[0, 12];
        Gen.OneOf(edge.List[0, 60], runs.Select(r => r.SelectMany(run => run.Item2.Select(t => (run.Item1, t.Item1, t.Item2))).ToList())).Sample(given =>
        {
            var names = Enumerable.Range(0, 6).Select(i => "c" + i).ToArray();
            var builder = BuilderWith(names);
            foreach (var (from, to, kind) in given)
                builder.AddEdge(names[from], names[to], (DependencyKind)kind);

            var expected = given.Where(e => e.Item1 != e.Item2).Select(e => new SbomEdge(e.Item1, e.Item2, (DependencyKind)e.Item3)).Distinct().ToList();
            Assert.Equal(expected, builder.Build().Edges);
        });
    }

    private static SbomBuilder BuilderWith(params string[] refs)
    {
        var builder = new SbomBuilder(SbomFormat.CycloneDxJson);
        foreach (var reference in refs)
            Add(builder, reference);
        return builder;
    }

    private static void Add(SbomBuilder builder, string reference) =>
        builder.AddComponent(new SbomComponent { Ref = reference, Name = reference, PurlText = $"pkg:npm/{reference}@1.0.0" }, reference);
}
