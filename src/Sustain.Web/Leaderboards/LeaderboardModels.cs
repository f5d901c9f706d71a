using Sustain.Core;

namespace Sustain.Web.Leaderboards;

/// <summary>One named organisation on the companies leaderboard.</summary>
public sealed record CompanyStanding(
    int Rank,
    string Slug,
    string Name,
    Money Given,
    int Developers,
    Money? GivenPerDeveloper,
    double? ShareOfBenchmark,
    int ProjectsReliedOn,
    int ReliedOnProjectsFunded,
    int ProjectsSupported,
    int MaintainersSupported)
{
    /// <summary>The share of the projects it relies on that it funds; null when its SBOMs name none.</summary>
    public double? ShareOfReliedOnFunded => ProjectsReliedOn == 0 ? null : (double)ReliedOnProjectsFunded / ProjectsReliedOn;
}

/// <summary>The organisations that gave but did not opt in: only their number and their total.</summary>
public sealed record AnonymousGiving(int Organisations, Money Given);

/// <summary>One project on the projects leaderboard.</summary>
public sealed record ProjectStanding(
    int Rank,
    string Key,
    Money Funding,
    int Funders,
    int RelyingOrganisations,
    long? Dependents,
    int Maintainers);

/// <summary>Both leaderboards over one window, computed together and shared by pages, badges and open data.</summary>
public sealed record Leaderboard(
    DateTimeOffset From,
    DateTimeOffset To,
    Currency Currency,
    Money? BenchmarkPerDeveloper,
    IReadOnlyList<CompanyStanding> Companies,
    AnonymousGiving Others,
    IReadOnlyList<ProjectStanding> MostFunded,
    IReadOnlyList<ProjectStanding> CriticalUnfunded,
    IReadOnlyDictionary<string, ProjectStanding> ProjectsByKey,
    DateTimeOffset ComputedAt)
{
    public Money TotalGiven => Companies.Aggregate(Others.Given, (total, c) => total + c.Given);

    public CompanyStanding? Company(string slug) => Companies.FirstOrDefault(c => string.Equals(c.Slug, slug, StringComparison.Ordinal));

    public ProjectStanding? Project(string key) => ProjectsByKey.GetValueOrDefault(key);
}

/// <summary>Money given in one calendar month (UTC), for the funding charts.</summary>
public sealed record MonthlyAmount(DateOnly Month, Money Amount);

/// <summary>A public organisation's profile: its standing, its funding over time and the projects it funds most.</summary>
public sealed record CompanyProfile(
    string Slug,
    string Name,
    string? Description,
    string? Website,
    CompanyStanding? Standing,
    IReadOnlyList<MonthlyAmount> Monthly,
    IReadOnlyList<(string Project, Money Amount)> TopProjects,
    Leaderboard Board);

/// <summary>A project's public profile: who funds it (named only when opted in), who relies on it, its funding over time.</summary>
public sealed record ProjectProfile(
    string Key,
    string RepositoryUrl,
    ProjectStanding? Standing,
    IReadOnlyList<MonthlyAmount> Monthly,
    IReadOnlyList<(string Slug, string Name, Money Amount)> NamedFunders,
    AnonymousGiving OtherFunders,
    IReadOnlyList<string> Maintainers,
    long? Dependents,
    int RelyingOrganisations,
    Leaderboard Board);
