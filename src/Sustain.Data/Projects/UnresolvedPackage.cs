namespace Sustain.Data.Projects;

/// <summary>Why a package could not be mapped to a project.</summary>
public enum UnresolvedReason
{
    /// <summary>Neither the SBOM nor a manual mapping named a repository, and the ecosystem has no registry to ask.</summary>
    NoRepositoryInSbom = 0,

    /// <summary>The registry does not know the package (404).</summary>
    RegistryNotFound = 1,

    /// <summary>The registry knows the package but names no repository.</summary>
    RegistryNoRepository = 2,

    /// <summary>The registry names a URL that is not a repository on a code host (a homepage, a mailing list).</summary>
    RegistryNotCodeHost = 3,

    /// <summary>The registry could not be reached or kept failing; the next run asks again.</summary>
    RegistryUnavailable = 4,
}

/// <summary>One of an organisation's packages that maps to no project yet, with the reason.</summary>
public class UnresolvedPackage
{
    public Guid OrganisationId { get; set; }

    public required string PackageKey { get; set; }

    public UnresolvedReason Reason { get; set; }

    /// <summary>What exactly was found: the URL the registry gave, the status it answered.</summary>
    public string? Detail { get; set; }

    /// <summary>When the reason last changed.</summary>
    public DateTimeOffset CheckedAt { get; set; }
}
