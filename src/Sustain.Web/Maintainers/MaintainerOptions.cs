namespace Sustain.Web.Maintainers;

public sealed class MaintainerOptions
{
    public const string Section = "Maintainers";

    /// <summary>How often a claimant may press "Check now" on one claim: each check spends GitHub API requests.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Where a claimant commits their verification token, one of two places on the default branch.</summary>
public static class ClaimLocations
{
    /// <summary>A file at the repository root whose text contains the token (other lines may hold other maintainers' tokens).</summary>
    public const string ClaimFile = ".sustain-claim";

    /// <summary>The repository's funding manifest (fundingjson.org), at the root.</summary>
    public const string FundingJson = "funding.json";

    /// <summary>A top-level key of <c>funding.json</c> holding the token, or an array of tokens.</summary>
    public const string FundingJsonKey = "sustainClaim";
}
