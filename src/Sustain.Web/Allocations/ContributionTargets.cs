using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Octokit;
using Sustain.Core.Allocation;
using Sustain.Data;
using Sustain.Web.GitHub;

namespace Sustain.Web.Allocations;

/// <summary>A project's share of the engineering hours the organisation gives to open source.</summary>
public sealed record ContributionTarget(string ProjectKey, double Hours);

/// <summary>
/// The allocation's weights turned into engineering hours: headcount × hours per developer-year ×
/// the share of engineering time, split between the funded projects in proportion to their money.
/// </summary>
public static class ContributionTargets
{
    public static double TotalHours(int headcount, PolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Math.Max(0, headcount) * (double)settings.HoursPerDeveloperYear * settings.EngineeringSharePercent / 100;
    }

    public static IReadOnlyList<ContributionTarget> For(Allocation allocation, double totalHours)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        var funded = AllocationBasis.Visible(allocation).Where(s => s.Amount.Minor > 0).ToList();
        var allocated = funded.Sum(s => (double)s.Amount.Minor);
        return allocated == 0 ? [] : [.. funded.Select(s => new ContributionTarget(s.ProjectKey, totalHours * s.Amount.Minor / allocated))];
    }
}

/// <summary>What GitHub says the members did: merged pull requests per project in the last 12 months, or why it could not say.</summary>
public sealed record ContributionProgress(IReadOnlyDictionary<string, int> MergedPullRequests, IReadOnlyList<string> Logins, int MembersWithoutLogin, DateTimeOffset CheckedAt, string? Error)
{
    public int Total => MergedPullRequests.Values.Sum();
}

/// <summary>
/// Counts the pull requests the organisation's members (by their GitHub logins) had merged in the last
/// 12 months, per repository, through one issue search per member
/// (<c>is:pr is:merged author:LOGIN merged:&gt;=DATE</c>) rather than one per member and repository.
/// Bounded (at most <see cref="MaxLogins"/> members, <see cref="MaxPages"/> pages each, which is
/// inside GitHub's 30 searches a minute) and cached for <see cref="CacheFor"/> per organisation.
/// A GitHub failure becomes a message, never an exception.
/// </summary>
public sealed partial class ContributionProgressReader(IDbContextFactory<SustainDbContext> contexts, GitHubClients github, IMemoryCache cache, TimeProvider clock, ILogger<ContributionProgressReader> logger)
{
    public const int MaxLogins = 25;
    public const int MaxPages = 3;
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(30);

    public async Task<ContributionProgress> ReadAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var members = await db.Memberships.AsNoTracking().Where(m => m.OrganisationId == organisationId)
            .Join(db.Users.AsNoTracking(), m => m.UserId, u => u.Id, (m, u) => u.GitHubLogin)
            .ToListAsync(cancellation);
        var logins = members.OfType<string>().Where(l => l.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).Take(MaxLogins).ToList();
        var withoutLogin = members.Count(l => string.IsNullOrEmpty(l));
        var now = clock.GetUtcNow();
        if (logins.Count == 0)
            return new ContributionProgress(new Dictionary<string, int>(), [], withoutLogin, now, null);

        var key = $"contribution-progress:{organisationId}:{string.Join(',', logins).ToLowerInvariant()}";
        if (cache.TryGetValue(key, out ContributionProgress? cached) && cached is not null)
            return cached with { MembersWithoutLogin = withoutLogin };

        var since = new DateTimeOffset(now.AddYears(-1).UtcDateTime.Date, TimeSpan.Zero);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            var client = github.ForApp();
            foreach (var login in logins)
            {
                for (var page = 1; page <= MaxPages; page++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var request = new SearchIssuesRequest
                    {
                        Author = login,
                        Type = IssueTypeQualifier.PullRequest,
                        Is = [IssueIsQualifier.Merged],
                        Merged = DateRange.GreaterThanOrEquals(since),
                        PerPage = 100,
                        Page = page,
                    };
                    var result = await client.Search.SearchIssues(request);
                    foreach (var item in result.Items)
                    {
                        if (RepositoryOf(item.Url) is { } project)
                            counts[project] = counts.GetValueOrDefault(project) + 1;
                    }

                    if (result.Items.Count < 100 || page * 100 >= result.TotalCount)
                        break;
                }
            }
        }
        catch (Exception e) when (e is ApiException or HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            LogGitHubFailed(logger, organisationId, e.Message);
            var message = e switch
            {
                RateLimitExceededException limit => $"GitHub's rate limit is spent until {limit.Reset:HH:mm} UTC; try again then.",
                SecondaryRateLimitExceededException => "GitHub asked Sustain to slow down (secondary rate limit); try again in a few minutes.",
                ApiException api => $"GitHub answered {(int)api.StatusCode}: {api.Message}",
                _ => "GitHub could not be reached.",
            };
            return new ContributionProgress(new Dictionary<string, int>(), logins, withoutLogin, now, message);
        }

        var progress = new ContributionProgress(counts, logins, withoutLogin, now, null);
        cache.Set(key, progress, CacheFor);
        return progress;
    }

    /// <summary>The project key of an issue's API address (<c>…/repos/OWNER/NAME/issues/N</c> → <c>github.com/owner/name</c>).</summary>
    public static string? RepositoryOf(string? issueUrl)
    {
        if (issueUrl is null || !Uri.TryCreate(issueUrl, UriKind.Absolute, out var uri))
            return null;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var repos = Array.IndexOf(segments, "repos");
        return repos >= 0 && repos + 2 < segments.Length ? $"github.com/{segments[repos + 1]}/{segments[repos + 2]}".ToLowerInvariant() : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading merged pull requests for organisation {Organisation} from GitHub failed: {Error}")]
    private static partial void LogGitHubFailed(ILogger logger, Guid organisation, string error);
}
