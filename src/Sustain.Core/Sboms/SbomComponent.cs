using Sustain.Core.Purls;

namespace Sustain.Core.Sboms;

public sealed record SbomHash(string Algorithm, string Value);

/// <summary>
/// A link from a component to the outside world. <see cref="Type"/> uses CycloneDX's vocabulary
/// ("vcs", "website", "distribution", "issue-tracker", ...); SPDX fields are mapped onto it.
/// </summary>
public sealed record ExternalReference(string Type, string Url)
{
    public const string Vcs = "vcs";
    public const string Website = "website";
    public const string Distribution = "distribution";
}

public sealed class SbomComponent
{
    /// <summary>The document's own identifier for the component: CycloneDX <c>bom-ref</c>, SPDX <c>SPDXID</c> or <c>spdxId</c>. Unique within a document.</summary>
    public required string Ref { get; init; }

    public string? Name { get; init; }

    public string? Version { get; init; }

    /// <summary>CycloneDX component type ("library", "application", ...) or SPDX primary package purpose, lower case.</summary>
    public string? Type { get; init; }

    /// <summary>The package URL exactly as the document wrote it.</summary>
    public string? PurlText { get; init; }

    /// <summary>The parsed, canonical package URL, when <see cref="PurlText"/> is valid (set by <see cref="SbomBuilder"/>).</summary>
    public Purl? Purl { get; internal set; }

    /// <summary>SPDX licence expressions or ids, or licence names where that is all a document gives.</summary>
    public IReadOnlyList<string> Licenses { get; init; } = [];

    public IReadOnlyList<SbomHash> Hashes { get; init; } = [];

    public string? Supplier { get; init; }

    public IReadOnlyList<ExternalReference> ExternalReferences { get; init; } = [];

    /// <summary>True only for the CycloneDX <c>metadata.component</c>: a graph node, not counted as a component.</summary>
    public bool IsMetadataComponent { get; init; }

    public override string ToString() => Purl?.ToString() ?? PurlText ?? $"{Name}@{Version}";
}
