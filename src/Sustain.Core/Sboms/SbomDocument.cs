namespace Sustain.Core.Sboms;

/// <summary>The document formats Sustain reads. The format is always detected from the content.</summary>
public enum SbomFormat
{
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxTagValue,
    Spdx3JsonLd,
}

/// <summary>How one component depends on another. SPDX distinguishes these; CycloneDX says only <see cref="DependsOn"/>.</summary>
public enum DependencyKind
{
    DependsOn,
    Runtime,
    Build,
    Dev,
    Test,
    Optional,
    Provided,
    Contains,
}

/// <summary>An edge of the dependency graph: <see cref="From"/> depends on (or contains) <see cref="To"/>. Both are indexes into <see cref="SbomDocument.Components"/>.</summary>
public readonly record struct SbomEdge(int From, int To, DependencyKind Kind);

/// <summary>Something a reader survived and the user should know: where, and what.</summary>
public sealed record SbomWarning(string Location, string Message)
{
    public override string ToString() => Location.Length == 0 ? Message : $"{Location}: {Message}";
}

/// <summary>
/// One SBOM, normalised. Every node of the dependency graph is in <see cref="Components"/>, the
/// CycloneDX <c>metadata.component</c> included (flagged <see cref="SbomComponent.IsMetadataComponent"/>,
/// and not counted by <see cref="ComponentCount"/>).
/// </summary>
public sealed class SbomDocument
{
    public required SbomFormat Format { get; init; }

    /// <summary>"1.5" for CycloneDX, "2.3" for SPDX 2.x ("SPDX-2.3" is normalised), "3.0.1" for SPDX 3.</summary>
    public required string SpecVersion { get; init; }

    public string? Name { get; init; }

    public required IReadOnlyList<SbomComponent> Components { get; init; }

    public required IReadOnlyList<SbomEdge> Edges { get; init; }

    /// <summary>Indexes of the components the document is about: CycloneDX <c>metadata.component</c>, SPDX DESCRIBES.</summary>
    public required IReadOnlyList<int> Roots { get; init; }

    /// <summary>False when the document carries no dependency information at all.</summary>
    public required bool HasDependencyGraph { get; init; }

    public required IReadOnlyList<SbomWarning> Warnings { get; init; }

    /// <summary>Every component and SPDX package, nested ones included; not the CycloneDX <c>metadata.component</c>.</summary>
    public int ComponentCount => Components.Count - MetadataComponentCount;

    internal int MetadataComponentCount { get; init; }

    public static string FormatName(SbomFormat format) => format switch
    {
        SbomFormat.CycloneDxJson => "cyclonedx-json",
        SbomFormat.CycloneDxXml => "cyclonedx-xml",
        SbomFormat.SpdxJson => "spdx-json",
        SbomFormat.SpdxTagValue => "spdx-tagvalue",
        SbomFormat.Spdx3JsonLd => "spdx3-jsonld",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
