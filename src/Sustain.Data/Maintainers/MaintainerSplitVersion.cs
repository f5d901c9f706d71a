namespace Sustain.Data.Maintainers;

/// <summary>
/// How a project divides its money between its maintainers, from <see cref="EffectiveFrom"/> until the next
/// version: money that arrives at an instant is divided by the latest version in effect then. Versions are
/// never changed; a new split is a new version.
/// </summary>
public class MaintainerSplitVersion : IAppendOnly
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string ProjectKey { get; set; }

    /// <summary>1, 2, 3… per project; unique, so two admins saving at once cannot both write version n.</summary>
    public int Number { get; set; }

    public DateTimeOffset EffectiveFrom { get; set; }

    /// <summary>The admin who set it, or null when the app did (the first claimant verified, a maintainer removed).</summary>
    public string? CreatedByUserId { get; set; }

    /// <summary>Why this version exists, for the audit log and the page.</summary>
    public required string Reason { get; set; }

    public List<MaintainerSplitShare> Shares { get; set; } = [];
}

public class MaintainerSplitShare : IAppendOnly
{
    public Guid VersionId { get; set; }

    public required string UserId { get; set; }

    /// <summary>The maintainer's GitHub login then, for history that outlives a renamed account.</summary>
    public required string GitHubLogin { get; set; }

    /// <summary>Hundredths of a percent; a version's shares add up to exactly 10,000.</summary>
    public int BasisPoints { get; set; }
}
