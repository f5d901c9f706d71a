namespace Sustain.Web.Projects;

/// <summary>Project signals: which organisations are companies, how long signals keep, whether to fetch them at all.</summary>
public sealed class ProjectsOptions
{
    public const string Section = "Projects";

    /// <summary>GitHub organisations that are companies: their projects are shown as company-owned (compared without regard to case).</summary>
    public IList<string> CompanyOrganisations { get; } = [];

    /// <summary>Read project signals from GitHub after each resolution and in the daily sweep. Off: only what the SBOM and ecosyste.ms say.</summary>
    public bool EnrichmentEnabled { get; set; } = true;

    /// <summary>How long a project's GitHub signals are trusted before the sweep reads them again.</summary>
    public TimeSpan SignalsCacheFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How soon a project whose read failed is tried again.</summary>
    public TimeSpan FailedSignalsRetryAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>When the daily sweep of stale signals runs (UTC).</summary>
    public TimeOnly SweepAtUtc { get; set; } = new(3, 17);

    public bool IsCompany(string host, string owner) =>
        host == "github.com" && CompanyOrganisations.Any(c => string.Equals(c.Trim(), owner, StringComparison.OrdinalIgnoreCase));
}
