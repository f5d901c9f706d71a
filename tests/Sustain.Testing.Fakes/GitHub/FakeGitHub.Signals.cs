using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Sustain.Testing.Fakes.GitHub;

/// <summary>
/// What project signals read: the commits and releases lists (docs.github.com "List commits",
/// "List releases"), paginated with <c>per_page</c>/<c>page</c> and a <c>Link</c> header as GitHub does,
/// and the reset a scheduled rate-limit failure answers.
/// </summary>
public sealed partial class FakeGitHub
{
    private void MapSignals(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/repos/{owner}/{repo}/commits", Commits);
        routes.MapGet("/repos/{owner}/{repo}/releases", Releases);
    }

    private IResult Commits(HttpContext http, string owner, string repo)
    {
        var visible = Visible(http, owner, repo);
        if (visible.Repository is null)
            return visible.Failure;
        var repository = visible.Repository;
        var since = DateTimeOffset.TryParse(http.Request.Query["since"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s) ? s : DateTimeOffset.MinValue;
        var commits = repository.Commits.Where(c => c.At >= since).ToList();
        return Page(http, commits, commit =>
        {
            var sha = GitBlobSha(System.Text.Encoding.UTF8.GetBytes($"{repository.FullName}:{commit.Login}:{commit.At:O}:{commit.Email}"));
            var person = new Dictionary<string, object?> { ["name"] = commit.Login ?? "Someone", ["email"] = commit.Email, ["date"] = Time(commit.At) };
            var api = $"{Address}repos/{repository.FullName}/commits/{sha}";
            return new Dictionary<string, object?>
            {
                ["sha"] = sha,
                ["node_id"] = NodeId("Commit", commit.At.ToUnixTimeSeconds()),
                ["commit"] = new Dictionary<string, object?>
                {
                    ["author"] = person,
                    ["committer"] = person,
                    ["message"] = "A change",
                    ["tree"] = new Dictionary<string, object?> { ["sha"] = sha, ["url"] = $"{Address}repos/{repository.FullName}/git/trees/{sha}" },
                    ["url"] = $"{Address}repos/{repository.FullName}/git/commits/{sha}",
                    ["comment_count"] = 0,
                },
                ["url"] = api,
                ["html_url"] = $"{Address}{repository.FullName}/commit/{sha}",
                ["comments_url"] = $"{api}/comments",
                ["author"] = commit.Login is null ? null : PersonJson(commit.Login),
                ["committer"] = commit.Login is null ? null : PersonJson(commit.Login),
                ["parents"] = Array.Empty<object>(),
            };
        });
    }

    private IResult Releases(HttpContext http, string owner, string repo)
    {
        var visible = Visible(http, owner, repo);
        if (visible.Repository is null)
            return visible.Failure;
        var repository = visible.Repository;
        var canPush = visible.Viewer is { } viewer && repository.PermissionOf(viewer.Login) >= GitHubPermission.Write;
        var releases = repository.Releases.Where(r => !r.Draft || canPush).ToList();
        return Page(http, releases, release =>
        {
            var id = 1_000_000 + Math.Abs(release.Tag.GetHashCode(StringComparison.Ordinal) % 1_000_000);
            var api = $"{Address}repos/{repository.FullName}/releases/{id}";
            return new Dictionary<string, object?>
            {
                ["url"] = api,
                ["html_url"] = $"{Address}{repository.FullName}/releases/tag/{release.Tag}",
                ["assets_url"] = $"{api}/assets",
                ["upload_url"] = $"{Address}repos/{repository.FullName}/releases/{id}/assets{{?name,label}}",
                ["tarball_url"] = $"{Address}repos/{repository.FullName}/tarball/{release.Tag}",
                ["zipball_url"] = $"{Address}repos/{repository.FullName}/zipball/{release.Tag}",
                ["id"] = id,
                ["node_id"] = NodeId("Release", id),
                ["tag_name"] = release.Tag,
                ["target_commitish"] = repository.DefaultBranch,
                ["name"] = release.Tag,
                ["body"] = "",
                ["draft"] = release.Draft,
                ["prerelease"] = false,
                ["created_at"] = Time(release.PublishedAt),
                ["published_at"] = release.Draft ? null : Time(release.PublishedAt),
                ["author"] = PersonJson(release.Login),
                ["assets"] = Array.Empty<object>(),
            };
        });
    }

    /// <summary>One page of a list, with GitHub's <c>Link</c> header naming the next and last pages.</summary>
    private static IResult Page<T>(HttpContext http, IReadOnlyList<T> all, Func<T, Dictionary<string, object?>> json)
    {
        var perPage = int.TryParse(http.Request.Query["per_page"], CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 1, 100) : 30;
        var page = int.TryParse(http.Request.Query["page"], CultureInfo.InvariantCulture, out var n) ? Math.Max(1, n) : 1;
        var last = Math.Max(1, (all.Count + perPage - 1) / perPage);
        if (page < last)
        {
            var request = http.Request;
            string Link(int number, string rel)
            {
                var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.QueryString.Value);
                var values = query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);
                values["per_page"] = perPage.ToString(CultureInfo.InvariantCulture);
                values["page"] = number.ToString(CultureInfo.InvariantCulture);
                var url = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"{request.Scheme}://{request.Host}{request.Path}", values);
                return $"<{url}>; rel=\"{rel}\"";
            }

            http.Response.Headers.Link = $"{Link(page + 1, "next")}, {Link(last, "last")}";
        }

        return Results.Json(all.Skip((page - 1) * perPage).Take(perPage).Select(json).ToList(), Json);
    }

    /// <summary>A user as commits and releases name them: the account's public fields when the fake knows it, else a plain user.</summary>
    private Dictionary<string, object?> PersonJson(string login)
    {
        if (FindUser(login) is { } user)
            return UserJson(user, privateFields: false);
        var id = 9_000_000 + Math.Abs(login.GetHashCode(StringComparison.OrdinalIgnoreCase) % 1_000_000);
        return new Dictionary<string, object?>
        {
            ["login"] = login,
            ["id"] = id,
            ["node_id"] = NodeId("User", id),
            ["avatar_url"] = $"{Address}avatars/u/{id}?v=4",
            ["url"] = $"{Address}users/{login}",
            ["html_url"] = $"{Address}{login}",
            ["type"] = "User",
            ["site_admin"] = false,
        };
    }

    private static void WriteFailureReset(HttpContext http, GitHubFailure failure)
    {
        if (failure.ResetIn is not { } resetIn)
            return;
        var reset = DateTimeOffset.UtcNow + resetIn;
        var seconds = (long)Math.Ceiling(reset.ToUnixTimeMilliseconds() / 1000.0);
        http.Response.Headers["X-RateLimit-Reset"] = seconds.ToString(CultureInfo.InvariantCulture);
    }
}
