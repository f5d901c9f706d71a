namespace Sustain.Data.Projects;

/// <summary>Where a project's signals came from, or why there are none.</summary>
public enum SignalsStatus
{
    /// <summary>Read from GitHub at <see cref="ProjectSignals.FetchedAt"/>.</summary>
    Fetched = 0,

    /// <summary>The project is not on GitHub: only what the SBOM and ecosyste.ms said is known.</summary>
    NotOnGitHub = 1,

    /// <summary>GitHub answered 404: the repository is gone, renamed away or private.</summary>
    RepositoryNotFound = 2,

    /// <summary>The last fetch failed (see <see cref="ProjectSignals.Error"/>); earlier values, if any, are kept.</summary>
    Failed = 3,

    /// <summary>Built-in sample values for the demo organisation's projects, shown as such; a real fetch replaces them.</summary>
    Demo = 4,
}

/// <summary>Who owns a repository on GitHub.</summary>
public enum OwnerKind
{
    Unknown = 0,
    User = 1,
    Organisation = 2,
}

/// <summary>
/// What GitHub (and the cached ecosyste.ms answers) say of a project's health, shared by every
/// organisation. Refetched once <see cref="ExpiresAt"/> has passed.
/// </summary>
public class ProjectSignals
{
    public required string ProjectKey { get; set; }

    public SignalsStatus Status { get; set; }

    public int? Stars { get; set; }

    public bool? Archived { get; set; }

    public DateTimeOffset? LastPushAt { get; set; }

    public OwnerKind OwnerKind { get; set; }

    /// <summary>The SPDX id of the licence GitHub detected; null when none (or <c>NOASSERTION</c>).</summary>
    public string? LicenseSpdxId { get; set; }

    public string? DefaultBranch { get; set; }

    /// <summary>Distinct authors of commits in the last twelve months and of releases in that time.</summary>
    public int? Maintainers { get; set; }

    /// <summary>Up to twenty of their logins, comma separated, for the project page.</summary>
    public string? MaintainerLogins { get; set; }

    public DateTimeOffset? LatestReleaseAt { get; set; }

    /// <summary>Packages and repositories depending on it, from the largest count ecosyste.ms gave for its packages.</summary>
    public long? Dependents { get; set; }

    /// <summary>The channels of FUNDING.yml and funding.json together, as JSON (<c>[{platform, handle, url, sources}]</c>); null when unknown.</summary>
    public string? FundingChannelsJson { get; set; }

    /// <summary>What was wrong with a funding file that did not parse, for the project page.</summary>
    public string? FundingWarning { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset FetchedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
