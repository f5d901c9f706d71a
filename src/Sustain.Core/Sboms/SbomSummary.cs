using Sustain.Core.Graphs;

namespace Sustain.Core.Sboms;

/// <summary>What a person (or the CLI, or an upload page) wants to know of a document at a glance.</summary>
public sealed record SbomSummary
{
    public required SbomFormat Format { get; init; }

    public required string SpecVersion { get; init; }

    public string? Name { get; init; }

    /// <summary>Every component and SPDX package, nested ones included; not the CycloneDX metadata.component.</summary>
    public required int Components { get; init; }

    public required int UniquePurls { get; init; }

    public required int WithoutPurl { get; init; }

    public required int Edges { get; init; }

    /// <summary>The documents' roots, by their identifier in the document.</summary>
    public required IReadOnlyList<string> Roots { get; init; }

    public required int Direct { get; init; }

    public required int MaxDepth { get; init; }

    public required int Reachable { get; init; }

    public required int Cycles { get; init; }

    public required bool GraphAbsent { get; init; }

    /// <summary>Canonical package URLs, distinct and sorted (ordinal).</summary>
    public required IReadOnlyList<string> Purls { get; init; }

    /// <summary>The canonical package URLs of the direct dependencies (or their names where they have none), sorted.</summary>
    public required IReadOnlyList<string> DirectDependencies { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public static SbomSummary Of(SbomDocument document) => Of(document, DependencyGraph.Build(document));

    public static SbomSummary Of(SbomDocument document, DependencyGraph graph)
    {
        var purls = new HashSet<string>(StringComparer.Ordinal);
        var withoutPurl = 0;
        foreach (var component in document.Components)
        {
            if (component.IsMetadataComponent)
                continue;
            if (component.Purl is { } purl)
                purls.Add(purl.ToString());
            else
                withoutPurl++;
        }

        var warnings = document.Warnings.Select(w => w.ToString()).ToList();

        return new SbomSummary
        {
            Format = document.Format,
            SpecVersion = document.SpecVersion,
            Name = document.Name,
            Components = document.ComponentCount,
            UniquePurls = purls.Count,
            WithoutPurl = withoutPurl,
            Edges = document.Edges.Count,
            Roots = document.Roots.Select(r => document.Components[r].Ref).ToList(),
            Direct = graph.Direct.Count,
            MaxDepth = graph.MaxDepth,
            Reachable = graph.ReachableCount,
            Cycles = graph.Cycles.Count,
            GraphAbsent = graph.GraphAbsent,
            Purls = purls.Order(StringComparer.Ordinal).ToList(),
            DirectDependencies = graph.Direct.Select(d => document.Components[d].ToString()).Order(StringComparer.Ordinal).ToList(),
            Warnings = warnings,
        };
    }
}
