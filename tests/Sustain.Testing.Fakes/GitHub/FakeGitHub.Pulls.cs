using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Sustain.Testing.Fakes.GitHub;

/// <summary>A pull request on the fake: who opened it, in which repository, and when (if ever) it was merged.</summary>
public sealed record FakeGitHubPullRequest(long Id, FakeGitHubRepository Repository, int Number, FakeGitHubUser Author, string Title, DateTimeOffset CreatedAt, DateTimeOffset? MergedAt);

/// <summary>
/// Pull requests and the issue search that finds them (<c>GET /search/issues</c>), as GitHub answers it:
/// the qualifiers <c>type:pr</c>/<c>is:pr</c>, <c>is:merged</c>, <c>author:</c>, <c>repo:</c> and
/// <c>merged:</c> (with <c>&gt;=</c>, <c>&gt;</c>, <c>&lt;=</c>, <c>&lt;</c> or a <c>from..to</c> range),
/// newest first, paged by <c>page</c> and <c>per_page</c> (at most 100), and no more than the first
/// 1,000 results, as GitHub's search caps them.
/// </summary>
public sealed partial class FakeGitHub
{
    private const int SearchResultCap = 1000;

    private readonly List<FakeGitHubPullRequest> _pullRequests = [];

    /// <summary>Adds a pull request by <paramref name="author"/> to <paramref name="repository"/>; merged at <paramref name="mergedAt"/>, or open when null.</summary>
    public FakeGitHubPullRequest AddPullRequest(FakeGitHubRepository repository, FakeGitHubUser author, DateTimeOffset? mergedAt, string title = "Fix a bug")
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(author);
        lock (_gate)
        {
            var number = _pullRequests.Count(p => p.Repository == repository) + 1;
            var createdAt = (mergedAt ?? DateTimeOffset.UtcNow).AddDays(-2);
            var pull = new FakeGitHubPullRequest(++_nextId, repository, number, author, title, createdAt, mergedAt);
            _pullRequests.Add(pull);
            return pull;
        }
    }

    private void MapPulls(WebApplication app) => app.MapGet("/search/issues", SearchIssues);

    private IResult SearchIssues(HttpContext http)
    {
        var query = http.Request.Query["q"].ToString();
        if (string.IsNullOrWhiteSpace(query))
            return Error(StatusCodes.Status422UnprocessableEntity, "Validation Failed", "https://docs.github.com/rest/search/search#search-issues-and-pull-requests");
        var page = int.TryParse(http.Request.Query["page"], CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var perPage = int.TryParse(http.Request.Query["per_page"], CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 100) : 30;

        List<FakeGitHubPullRequest> all;
        lock (_gate)
            all = [.. _pullRequests];
        var matches = all.Where(Filter(query)).Where(pr => !pr.Repository.Private).OrderByDescending(pr => pr.MergedAt ?? pr.CreatedAt).ToList();
        var items = matches.Take(SearchResultCap).Skip((page - 1) * perPage).Take(perPage).Select(IssueJson).ToList();
        return Results.Json(new Dictionary<string, object?> { ["total_count"] = matches.Count, ["incomplete_results"] = false, ["items"] = items }, Json);
    }

    private static Func<FakeGitHubPullRequest, bool> Filter(string query)
    {
        var tests = new List<Func<FakeGitHubPullRequest, bool>>();
        foreach (var term in query.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = term.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                tests.Add(pr => pr.Title.Contains(term, StringComparison.OrdinalIgnoreCase));
                continue;
            }

            var (qualifier, value) = (term[..colon].ToLowerInvariant(), term[(colon + 1)..]);
            tests.Add(qualifier switch
            {
                "is" or "type" when value is "pr" or "pull-request" => _ => true,
                "is" or "type" when value is "issue" => _ => false,
                "is" when value == "merged" => pr => pr.MergedAt is not null,
                "is" when value == "unmerged" => pr => pr.MergedAt is null,
                "author" => pr => string.Equals(pr.Author.Login, value, StringComparison.OrdinalIgnoreCase),
                "repo" => pr => string.Equals(pr.Repository.FullName, value, StringComparison.OrdinalIgnoreCase),
                "merged" => DateTest(value),
                _ => _ => true,
            });
        }

        return pr => tests.TrueForAll(test => test(pr));
    }

    private static Func<FakeGitHubPullRequest, bool> DateTest(string value)
    {
        static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var range = value.Split("..");
        if (range.Length == 2)
            return pr => pr.MergedAt is { } at && at >= Parse(range[0]) && at <= Parse(range[1]).AddDays(1);
        return value switch
        {
            _ when value.StartsWith(">=", StringComparison.Ordinal) => pr => pr.MergedAt >= Parse(value[2..]),
            _ when value.StartsWith('>') => pr => pr.MergedAt > Parse(value[1..]),
            _ when value.StartsWith("<=", StringComparison.Ordinal) => pr => pr.MergedAt <= Parse(value[2..]),
            _ when value.StartsWith('<') => pr => pr.MergedAt < Parse(value[1..]),
            _ => pr => pr.MergedAt?.UtcDateTime.Date == Parse(value).UtcDateTime.Date,
        };
    }

    private Dictionary<string, object?> IssueJson(FakeGitHubPullRequest pull)
    {
        var repository = $"{Address}repos/{pull.Repository.FullName}";
        var closedAt = pull.MergedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return new Dictionary<string, object?>
        {
            ["url"] = $"{repository}/issues/{pull.Number}",
            ["repository_url"] = repository,
            ["html_url"] = $"{Address}{pull.Repository.FullName}/pull/{pull.Number}",
            ["id"] = pull.Id,
            ["node_id"] = NodeId("PullRequest", pull.Id),
            ["number"] = pull.Number,
            ["title"] = pull.Title,
            ["user"] = UserJson(pull.Author, privateFields: false),
            ["labels"] = Array.Empty<object>(),
            ["state"] = pull.MergedAt is null ? "open" : "closed",
            ["locked"] = false,
            ["assignee"] = null,
            ["assignees"] = Array.Empty<object>(),
            ["milestone"] = null,
            ["comments"] = 0,
            ["created_at"] = pull.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["updated_at"] = (pull.MergedAt ?? pull.CreatedAt).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["closed_at"] = closedAt,
            ["author_association"] = "CONTRIBUTOR",
            ["draft"] = false,
            ["pull_request"] = new Dictionary<string, object?>
            {
                ["url"] = $"{repository}/pulls/{pull.Number}",
                ["html_url"] = $"{Address}{pull.Repository.FullName}/pull/{pull.Number}",
                ["diff_url"] = $"{Address}{pull.Repository.FullName}/pull/{pull.Number}.diff",
                ["patch_url"] = $"{Address}{pull.Repository.FullName}/pull/{pull.Number}.patch",
                ["merged_at"] = closedAt,
            },
            ["body"] = null,
            ["score"] = 1.0,
        };
    }
}
