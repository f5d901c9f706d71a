using System.Diagnostics.CodeAnalysis;
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
    private IReadOnlyList<string> _licenses = [];
    private IReadOnlyList<SbomHash> _hashList = [];
    private IReadOnlyList<ExternalReference> _referenceList = [];
    private SbomComponentDetails? _details;
    private PackedRange _hashes;
    private PackedRange _references;

    public SbomComponent()
    {
    }

    /// <summary>The component a reader packed into <paramref name="details"/>, made when it is first asked for.</summary>
    [SetsRequiredMembers]
    internal SbomComponent(string reference, in ComponentRecord record, SbomComponentDetails details)
    {
        Ref = reference;
        Name = details.Text(record.Name);
        Version = details.Text(record.Version);
        Type = details.ValueAt(record.Type);
        PurlText = details.Text(record.PurlText);
        Purl = record.Purl >= 0 ? details.PurlAt(record.Purl) : record.PurlIsCanonical ? Purls.Purl.Parse(PurlText!) : null;
        _licenses = details.LicensesAt(record.Licenses);
        Supplier = details.Text(record.Supplier);
        IsMetadataComponent = record.IsMetadataComponent;
        _details = details;
        _hashes = record.Hashes;
        _references = record.References;
    }

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
    public IReadOnlyList<string> Licenses { get => _licenses; init => _licenses = value; }

    public IReadOnlyList<SbomHash> Hashes
    {
        get => _hashes.Count > 0 ? _details!.Hashes(_hashes.Start, _hashes.Count) : _hashList;
        init => _hashList = value;
    }

    public string? Supplier { get; init; }

    public IReadOnlyList<ExternalReference> ExternalReferences
    {
        get => _references.Count > 0 ? _details!.References(_references.Start, _references.Count) : _referenceList;
        init => _referenceList = value;
    }

    /// <summary>Hashes a reader has put straight into the document's <see cref="SbomComponentDetails"/>.</summary>
    internal PackedRange PackedHashes { init => _hashes = value; }

    /// <summary>External references a reader has put straight into the document's <see cref="SbomComponentDetails"/>.</summary>
    internal PackedRange PackedReferences { init => _references = value; }

    /// <summary>True only for the CycloneDX <c>metadata.component</c>: a graph node, not counted as a component.</summary>
    public bool IsMetadataComponent { get; init; }

    /// <summary>Moves the hashes and references a reader gave as lists into the document's packed details, where they cost the collector nothing.</summary>
    internal void Pack(SbomComponentDetails details)
    {
        _details = details;
        if (_hashList.Count > 0)
        {
            var start = details.HashCount;
            foreach (var hash in _hashList)
                details.AddHash(hash.Algorithm, hash.Value);
            _hashes = new PackedRange(start, _hashList.Count);
            _hashList = [];
        }

        if (_referenceList.Count > 0)
        {
            var start = details.ReferenceCount;
            foreach (var reference in _referenceList)
                details.AddReference(reference.Type, reference.Url);
            _references = new PackedRange(start, _referenceList.Count);
            _referenceList = [];
        }
    }

    /// <summary>Swaps the licences for an equal list that other components share (most name the same one or two).</summary>
    internal void ShareLicenses(IReadOnlyList<string> shared) => _licenses = shared;

    public override string ToString() => Purl?.ToString() ?? PurlText ?? $"{Name}@{Version}";
}

/// <summary>Where a component's entries sit in <see cref="SbomComponentDetails"/>.</summary>
internal readonly record struct PackedRange(int Start, int Count);
