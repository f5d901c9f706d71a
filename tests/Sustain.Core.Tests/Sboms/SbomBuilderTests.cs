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
