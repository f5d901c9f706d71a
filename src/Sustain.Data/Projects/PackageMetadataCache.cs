namespace Sustain.Data.Projects;

public enum PackageMetadataStatus
{
    Found = 0,
    NotFound = 1,
}

/// <summary>
/// The registry's answer for a package (ecosyste.ms), shared by every organisation, kept until it
/// expires. A 404 is kept too, for a shorter time, so an unknown package is not asked for on every run.
/// </summary>
public class PackageMetadataCache
{
    public required string PackageKey { get; set; }

    /// <summary>The ecosyste.ms registry asked, by the name its registry list gives.</summary>
    public required string Registry { get; set; }

    public PackageMetadataStatus Status { get; set; }

    /// <summary>The response body as the registry sent it; null for a 404.</summary>
    public string? Json { get; set; }

    public DateTimeOffset FetchedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
