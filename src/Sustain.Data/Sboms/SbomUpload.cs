namespace Sustain.Data.Sboms;

public enum SbomUploadState
{
    Received = 0,
    Processing = 1,
    Ready = 2,
    Failed = 3,
}

/// <summary>One upload of a product's SBOM. The raw bytes are kept compressed for audit and re-processing.</summary>
public class SbomUpload
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid ProductId { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>SHA-256 of the uploaded bytes, hex: the same bytes uploaded again are the same upload.</summary>
    public required string Sha256 { get; set; }

    public string? FileName { get; set; }

    public long SizeBytes { get; set; }

    public SbomUploadState State { get; set; }

    public string? Format { get; set; }

    public string? SpecVersion { get; set; }

    public string? DocumentName { get; set; }

    public int ComponentCount { get; set; }

    public int EdgeCount { get; set; }

    public int DirectCount { get; set; }

    public int MaxDepth { get; set; }

    public bool GraphAbsent { get; set; }

    /// <summary>The reader's warnings, one per line.</summary>
    public string? Warnings { get; set; }

    public string? Error { get; set; }

    /// <summary>The dependency edges as pairs of component indexes, little-endian int32s, Brotli-compressed.</summary>
    public byte[]? EdgesCompressed { get; set; }

    public byte[]? RawCompressed { get; set; }

    public string? UploadedByUserId { get; set; }

    public Guid? UploadedByTokenId { get; set; }

    public DateTimeOffset UploadedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? ProcessedAt { get; set; }
}

/// <summary>A component of an upload, with what the dependency view filters and sorts on, precomputed.</summary>
public class SbomComponentRow
{
    public long Id { get; set; }

    public Guid UploadId { get; set; }

    /// <summary>The component's index in the document: edges and parents refer to it.</summary>
    public int Index { get; set; }

    public required string Ref { get; set; }

    public string? Name { get; set; }

    public string? Version { get; set; }

    public string? Purl { get; set; }

    /// <summary>The package: the purl without version, qualifiers or subpath.</summary>
    public string? PackageKey { get; set; }

    /// <summary>The purl type ("npm", "maven", ...), or null without a purl.</summary>
    public string? Ecosystem { get; set; }

    public string? Licenses { get; set; }

    public string? Type { get; set; }

    /// <summary>Shortest depth from the product root: 1 for direct, 0 for a root, -1 when unreachable.</summary>
    public int Depth { get; set; }

    /// <summary>The previous component on a shortest path from the root (-1 for none): "why is this here" walks these.</summary>
    public int Parent { get; set; }

    public bool IsRoot { get; set; }

    public string? VcsUrl { get; set; }

    public string? Website { get; set; }

    /// <summary>Lower-cased name, purl and version for search.</summary>
    public required string SearchText { get; set; }
}
