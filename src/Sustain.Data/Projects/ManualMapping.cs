namespace Sustain.Data.Projects;

/// <summary>An organisation's own answer for a package's project; it overrides the SBOM and the registry for that organisation.</summary>
public class ManualMapping
{
    public Guid OrganisationId { get; set; }

    public required string PackageKey { get; set; }

    public required string ProjectKey { get; set; }

    public required string CreatedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
