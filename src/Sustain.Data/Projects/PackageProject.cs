namespace Sustain.Data.Projects;

/// <summary>Where an organisation's package→project mapping came from.</summary>
public enum MappingSource
{
    /// <summary>The SBOM named the repository (VCS reference, vcs_url qualifier, pkg:github purl, code-host website).</summary>
    Sbom = 0,

    /// <summary>The package registry's metadata (ecosyste.ms) named the repository.</summary>
    Registry = 1,

    /// <summary>A member of the organisation mapped it by hand.</summary>
    Manual = 2,
}

/// <summary>
/// The project one of an organisation's packages resolves to. Per organisation, because what an
/// organisation's SBOMs say and its manual mappings are its own; what the registry says is shared
/// through <see cref="PackageMetadataCache"/>.
/// </summary>
public class PackageProject
{
    public Guid OrganisationId { get; set; }

    public required string PackageKey { get; set; }

    public required string ProjectKey { get; set; }

    public MappingSource Source { get; set; }

    /// <summary>When the mapping last changed; a run that finds the same answer leaves it be.</summary>
    public DateTimeOffset ResolvedAt { get; set; }
}
