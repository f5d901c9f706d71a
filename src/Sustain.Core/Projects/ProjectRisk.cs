namespace Sustain.Core.Projects;

/// <summary>What is known of a project's health; null where a signal is unknown (not fetched, or not on GitHub).</summary>
public sealed record ProjectHealth
{
    public bool? Archived { get; init; }

    /// <summary>People with commits or releases in the last twelve months.</summary>
    public int? Maintainers { get; init; }

    public DateTimeOffset? LatestReleaseAt { get; init; }

    public DateTimeOffset? LastPushAt { get; init; }

    /// <summary>Funding channels its FUNDING.yml, funding.json or registry name.</summary>
    public int? FundingChannels { get; init; }

    /// <summary>Packages and repositories that depend on it, as ecosyste.ms counts them.</summary>
    public long? Dependents { get; init; }

    /// <summary>Owned by one of the configured company organisations.</summary>
    public bool CompanyOwned { get; init; }
}

public enum RiskKind
{
    Archived,
    SingleMaintainer,
    NoRecentRelease,
    NoFundingChannel,
    WidelyDependedOn,
}

/// <summary>One reason a project is fragile, in words, and how much it adds to the score.</summary>
public sealed record RiskReason(RiskKind Kind, int Points, string Text);

/// <summary>A project's fragility: 0 (nothing known against it) to 100, with every reason that made it.</summary>
public sealed record RiskAssessment(int Score, IReadOnlyList<RiskReason> Reasons, IReadOnlyList<string> Unknown)
{
    public bool Has(RiskKind kind) => Reasons.Any(r => r.Kind == kind);
}

/// <summary>
/// Scores how fragile a project is from its signals. A pure function of the signals and the day:
/// an unknown signal adds nothing and is listed as unknown, so a project on a host Sustain cannot
/// read is never called risky for what nobody knows.
/// </summary>
public static class ProjectRisk
{
    public const int ArchivedPoints = 40;
    public const int SingleMaintainerPoints = 25;
    public const int NoRecentReleasePoints = 15;
    public const int NoFundingPoints = 10;
    public const int WidelyDependedOnPoints = 10;

    /// <summary>Dependents from which a project counts as widely depended on: a failure there spreads far.</summary>
    public const long WidelyDependedOn = 1_000;

    public static readonly TimeSpan ReleaseAge = TimeSpan.FromDays(730);

    public static RiskAssessment Assess(ProjectHealth health, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(health);
        var reasons = new List<RiskReason>();
        var unknown = new List<string>();

        if (health.Archived is null)
            unknown.Add("whether it is archived");
        else if (health.Archived.Value)
            reasons.Add(new RiskReason(RiskKind.Archived, ArchivedPoints, "The repository is archived: its owners have stopped working on it, and fixes will not come."));

        switch (health.Maintainers)
        {
            case null:
                unknown.Add("how many people maintain it");
                break;
            case 0:
                reasons.Add(new RiskReason(RiskKind.SingleMaintainer, SingleMaintainerPoints, "Nobody has committed or released in the last twelve months."));
                break;
            case 1:
                reasons.Add(new RiskReason(RiskKind.SingleMaintainer, SingleMaintainerPoints, "One person made every commit and release of the last twelve months: if they stop, it stops."));
                break;
        }

        var lastRelease = health.LatestReleaseAt;
        if (lastRelease is null && health.LastPushAt is null)
        {
            unknown.Add("when it last released");
        }
        else if (lastRelease is null || now - lastRelease.Value > ReleaseAge)
        {
            var text = lastRelease is null
                ? "It has published no release on GitHub."
                : $"Its latest release is {YearsSince(lastRelease.Value, now)} old.";
            reasons.Add(new RiskReason(RiskKind.NoRecentRelease, NoRecentReleasePoints, text + " Nothing released in two years suggests little upkeep."));
        }

        if (health.FundingChannels is null)
            unknown.Add("whether it can be funded");
        else if (health.FundingChannels == 0 && !health.CompanyOwned)
            reasons.Add(new RiskReason(RiskKind.NoFundingChannel, NoFundingPoints, "It names no funding channel (no FUNDING.yml, funding.json or registry link), so nobody can easily pay its maintainers."));

        if (health.Dependents is { } dependents && dependents >= WidelyDependedOn)
            reasons.Add(new RiskReason(RiskKind.WidelyDependedOn, WidelyDependedOnPoints, $"{dependents:N0} packages and repositories depend on it: a problem here reaches far beyond you."));

        var score = Math.Min(100, reasons.Sum(r => r.Points));
        return new RiskAssessment(score, reasons, unknown);
    }

    private static string YearsSince(DateTimeOffset then, DateTimeOffset now)
    {
        var years = (int)Math.Round((now - then).TotalDays / 365.25);
        return $"about {years} years";
    }
}
