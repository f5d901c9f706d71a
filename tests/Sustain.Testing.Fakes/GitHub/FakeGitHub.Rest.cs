using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Sustain.Testing.Fakes.GitHub;

/// <summary>
/// The REST endpoints, answering the shapes docs.github.com documents (and Octokit's models read):
/// snake_case fields, ISO 8601 UTC times, and <c>{"message","documentation_url","status"}</c> errors.
/// Every API answer carries the rate-limit headers; each call spends one of the caller's requests.
/// </summary>
public sealed partial class FakeGitHub
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    private void MapRest(WebApplication app)
    {
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/login/oauth"), api => api.Use(async (http, next) =>
        {
            WriteRateLimitHeaders(http, CallerKey(http), spend: true, forceSpent: false);
            await next(http);
        }));

        app.MapGet("/user", CurrentUser);
        app.MapGet("/repos/{owner}/{repo}", Repository);
        app.MapGet("/repos/{owner}/{repo}/collaborators/{username}/permission", CollaboratorPermission);
        app.MapGet("/repos/{owner}/{repo}/contents/{**path}", Contents);
        app.MapFallback((HttpContext http) => NotFound("https://docs.github.com/rest"));
    }

    private IResult CurrentUser(HttpContext http)
    {
        if (http.Request.Headers.Authorization.Count == 0)
            return Error(StatusCodes.Status401Unauthorized, "Requires authentication", "https://docs.github.com/rest/users/users#get-the-authenticated-user");
        if (Grant(http) is not { } grant)
            return BadCredentials();
        http.Response.Headers["X-OAuth-Scopes"] = string.Join(", ", grant.Scopes);
        return Results.Json(UserJson(grant.User, privateFields: true), Json);
    }

    private IResult Repository(HttpContext http, string owner, string repo)
    {
        var visible = Visible(http, owner, repo);
        if (visible.Repository is null)
            return visible.Failure;
        return Results.Json(RepositoryJson(visible.Repository, visible.Viewer), Json);
    }

    private IResult CollaboratorPermission(HttpContext http, string owner, string repo, string username)
    {
        var visible = Visible(http, owner, repo);
        if (visible.Repository is null)
            return visible.Failure;
        if (FindUser(username) is not { } user)
            return NotFound("https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user");

        var permission = visible.Repository.PermissionOf(user.Login);
        // GitHub answers the legacy permission ("maintain" reads as "write", "triage" as "read") beside the role.
        var (legacy, role) = permission switch
        {
            GitHubPermission.Admin => ("admin", "admin"),
            GitHubPermission.Maintain => ("write", "maintain"),
            GitHubPermission.Write => ("write", "write"),
            GitHubPermission.Triage => ("read", "triage"),
            GitHubPermission.Read => ("read", "read"),
            _ => visible.Repository.Private ? ("none", "none") : ("read", "read"),
        };
        var collaborator = UserJson(user, privateFields: false);
        collaborator["permissions"] = PermissionsJson(permission);
        collaborator["role_name"] = role;
        return Results.Json(new { Permission = legacy, RoleName = role, User = collaborator }, Json);
    }

    private IResult Contents(HttpContext http, string owner, string repo, string? path)
    {
        var visible = Visible(http, owner, repo);
        if (visible.Repository is null)
            return visible.Failure;
        var repository = visible.Repository;
        path = (path ?? "").Trim('/');
        var documentation = "https://docs.github.com/rest/repos/contents#get-repository-content";

        if (repository.Files.TryGetValue(path, out var file))
            return Results.Json(ContentJson(repository, path, file, withContent: true), Json);

        var prefix = path.Length == 0 ? "" : path + "/";
        var entries = repository.Files
            .Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => (Remainder: f.Key[prefix.Length..], f.Value))
            .GroupBy(f => f.Remainder.Split('/')[0], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Any(f => f.Remainder.Contains('/', StringComparison.Ordinal))
                ? DirectoryJson(repository, prefix + g.Key)
                : ContentJson(repository, prefix + g.Key, g.First().Value, withContent: false))
            .ToList();
        return entries.Count == 0 ? NotFound(documentation) : Results.Json(entries, Json);
    }

    /// <summary>The repository when the caller may see it; otherwise the 404 (or 401) GitHub answers, in <c>Failure</c>.</summary>
    private Visibility Visible(HttpContext http, string owner, string repo)
    {
        var hasAuthorization = http.Request.Headers.Authorization.Count > 0;
        var grant = Grant(http);
        if (hasAuthorization && grant is null)
            return new Visibility(null, null, BadCredentials());
        var repository = FindRepository(owner, repo);
        if (repository is null || (repository.Private && (grant is null || repository.PermissionOf(grant.User.Login) is null)))
            return new Visibility(null, null, NotFound("https://docs.github.com/rest/repos/repos#get-a-repository"));
        return new Visibility(repository, grant?.User, Results.Empty);
    }

    private AccessGrant? Grant(HttpContext http) =>
        TokenOf(http.Request.Headers.Authorization.ToString()) is { } token && _tokens.TryGetValue(token, out var grant) ? grant : null;

    private string CallerKey(HttpContext http) =>
        Grant(http) is { } grant ? "user:" + grant.User.Id.ToString(CultureInfo.InvariantCulture) : "address:" + http.Connection.RemoteIpAddress;

    private void WriteRateLimitHeaders(HttpContext http, string caller, bool spend, bool forceSpent)
    {
        var limit = caller.StartsWith("user:", StringComparison.Ordinal) ? AuthenticatedRateLimit : AnonymousRateLimit;
        var used = forceSpent ? limit : spend ? _requestsUsed.AddOrUpdate(caller, 1, (_, n) => n + 1) : _requestsUsed.GetValueOrDefault(caller);
        var headers = http.Response.Headers;
        headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = Math.Max(0, limit - used).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = _rateLimitReset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Used"] = Math.Min(limit, used).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Resource"] = "core";
    }

    private Dictionary<string, object?> UserJson(FakeGitHubUser user, bool privateFields)
    {
        var api = $"{Address}users/{user.Login}";
        var json = new Dictionary<string, object?>
        {
            ["login"] = user.Login,
            ["id"] = user.Id,
            ["node_id"] = NodeId("User", user.Id),
            ["avatar_url"] = $"{Address}avatars/u/{user.Id}?v=4",
            ["gravatar_id"] = "",
            ["url"] = api,
            ["html_url"] = $"{Address}{user.Login}",
            ["followers_url"] = $"{api}/followers",
            ["following_url"] = $"{api}/following{{/other_user}}",
            ["gists_url"] = $"{api}/gists{{/gist_id}}",
            ["starred_url"] = $"{api}/starred{{/owner}}{{/repo}}",
            ["subscriptions_url"] = $"{api}/subscriptions",
            ["organizations_url"] = $"{api}/orgs",
            ["repos_url"] = $"{api}/repos",
            ["events_url"] = $"{api}/events{{/privacy}}",
            ["received_events_url"] = $"{api}/received_events",
            ["type"] = "User",
            ["user_view_type"] = privateFields ? "private" : "public",
            ["site_admin"] = false,
        };
        if (!privateFields)
            return json;

        json["name"] = user.Name;
        json["company"] = user.Company;
        json["blog"] = user.Blog ?? "";
        json["location"] = user.Location;
        json["email"] = user.Email;
        json["hireable"] = null;
        json["bio"] = user.Bio;
        json["twitter_username"] = null;
        json["notification_email"] = user.Email;
        json["public_repos"] = PublicRepositoryCount(user.Login);
        json["public_gists"] = 0;
        json["followers"] = 0;
        json["following"] = 0;
        json["created_at"] = Time(user.CreatedAt);
        json["updated_at"] = Time(user.CreatedAt.AddDays(30));
        json["private_gists"] = 0;
        json["total_private_repos"] = 0;
        json["owned_private_repos"] = 0;
        json["disk_usage"] = 0;
        json["collaborators"] = 0;
        json["two_factor_authentication"] = true;
        json["plan"] = new Dictionary<string, object?> { ["name"] = "free", ["space"] = 976562499, ["collaborators"] = 0, ["private_repos"] = 10000 };
        return json;
    }

    private Dictionary<string, object?> OwnerJson(string login)
    {
        if (FindUser(login) is { } user)
            return UserJson(user, privateFields: false);
        var id = OrganisationId(login) ?? 0;
        return new Dictionary<string, object?>
        {
            ["login"] = login,
            ["id"] = id,
            ["node_id"] = NodeId("Organization", id),
            ["avatar_url"] = $"{Address}avatars/u/{id}?v=4",
            ["gravatar_id"] = "",
            ["url"] = $"{Address}users/{login}",
            ["html_url"] = $"{Address}{login}",
            ["repos_url"] = $"{Address}users/{login}/repos",
            ["type"] = "Organization",
            ["user_view_type"] = "public",
            ["site_admin"] = false,
        };
    }

    private Dictionary<string, object?> RepositoryJson(FakeGitHubRepository repository, FakeGitHubUser? viewer)
    {
        var api = $"{Address}repos/{repository.FullName}";
        var json = new Dictionary<string, object?>
        {
            ["id"] = repository.Id,
            ["node_id"] = NodeId("Repository", repository.Id),
            ["name"] = repository.Name,
            ["full_name"] = repository.FullName,
            ["private"] = repository.Private,
            ["owner"] = OwnerJson(repository.Owner),
            ["html_url"] = $"{Address}{repository.FullName}",
            ["description"] = repository.Description,
            ["fork"] = repository.Fork,
            ["url"] = api,
            ["contents_url"] = $"{api}/contents/{{+path}}",
            ["collaborators_url"] = $"{api}/collaborators{{/collaborator}}",
            ["languages_url"] = $"{api}/languages",
            ["created_at"] = Time(repository.CreatedAt),
            ["updated_at"] = Time(repository.PushedAt),
            ["pushed_at"] = Time(repository.PushedAt),
            ["git_url"] = $"git://{Address.Authority}/{repository.FullName}.git",
            ["ssh_url"] = $"git@{Address.Host}:{repository.FullName}.git",
            ["clone_url"] = $"{Address}{repository.FullName}.git",
            ["homepage"] = repository.Homepage,
            ["size"] = repository.Files.Values.Sum(f => f.Length) / 1024,
            ["stargazers_count"] = repository.Stars,
            ["watchers_count"] = repository.Stars,
            ["language"] = repository.Language,
            ["has_issues"] = true,
            ["has_projects"] = true,
            ["has_downloads"] = true,
            ["has_wiki"] = true,
            ["has_pages"] = false,
            ["has_discussions"] = false,
            ["forks_count"] = repository.Forks,
            ["archived"] = repository.Archived,
            ["disabled"] = false,
            ["open_issues_count"] = repository.OpenIssues,
            ["license"] = repository.LicenseSpdxId is { } spdx
                ? new Dictionary<string, object?>
                {
                    ["key"] = spdx.ToLowerInvariant(),
                    ["name"] = spdx,
                    ["spdx_id"] = spdx,
                    ["url"] = $"{Address}licenses/{spdx.ToLowerInvariant()}",
                    ["node_id"] = NodeId("License", spdx.Length),
                }
                : null,
            ["allow_forking"] = true,
            ["is_template"] = false,
            ["web_commit_signoff_required"] = false,
            ["topics"] = repository.Topics.ToArray(),
            ["visibility"] = repository.Private ? "private" : "public",
            ["forks"] = repository.Forks,
            ["open_issues"] = repository.OpenIssues,
            ["watchers"] = repository.Stars,
            ["default_branch"] = repository.DefaultBranch,
            ["network_count"] = repository.Forks,
            ["subscribers_count"] = 0,
        };
        if (viewer is not null)
            json["permissions"] = PermissionsJson(repository.PermissionOf(viewer.Login) ?? (repository.Private ? null : GitHubPermission.Read));
        return json;
    }

    private static Dictionary<string, object?> PermissionsJson(GitHubPermission? permission) => new()
    {
        ["admin"] = permission >= GitHubPermission.Admin,
        ["maintain"] = permission >= GitHubPermission.Maintain,
        ["push"] = permission >= GitHubPermission.Write,
        ["triage"] = permission >= GitHubPermission.Triage,
        ["pull"] = permission >= GitHubPermission.Read,
    };

    private Dictionary<string, object?> ContentJson(FakeGitHubRepository repository, string path, byte[] content, bool withContent)
    {
        var json = EntryJson(repository, path, "file", GitBlobSha(content), content.Length);
        json["download_url"] = $"{Address}raw/{repository.FullName}/{repository.DefaultBranch}/{path}";
        if (withContent)
        {
            json["content"] = WrapBase64(Convert.ToBase64String(content));
            json["encoding"] = "base64";
        }

        return json;
    }

    private Dictionary<string, object?> DirectoryJson(FakeGitHubRepository repository, string path)
    {
        var json = EntryJson(repository, path, "dir", GitBlobSha(Encoding.UTF8.GetBytes("tree " + path)), 0);
        json["download_url"] = null;
        return json;
    }

    private Dictionary<string, object?> EntryJson(FakeGitHubRepository repository, string path, string type, string sha, int size)
    {
        var self = $"{Address}repos/{repository.FullName}/contents/{path}?ref={repository.DefaultBranch}";
        var git = $"{Address}repos/{repository.FullName}/git/{(type == "dir" ? "trees" : "blobs")}/{sha}";
        var html = $"{Address}{repository.FullName}/{(type == "dir" ? "tree" : "blob")}/{repository.DefaultBranch}/{path}";
        return new Dictionary<string, object?>
        {
            ["type"] = type,
            ["size"] = size,
            ["name"] = path.Split('/')[^1],
            ["path"] = path,
            ["sha"] = sha,
            ["url"] = self,
            ["git_url"] = git,
            ["html_url"] = html,
            ["_links"] = new Dictionary<string, object?> { ["self"] = self, ["git"] = git, ["html"] = html },
        };
    }

    private int PublicRepositoryCount(string login)
    {
        lock (_gate)
            return _repositories.Values.Count(r => !r.Private && string.Equals(r.Owner, login, StringComparison.OrdinalIgnoreCase));
    }

    private static IResult NotFound(string documentation) => Error(StatusCodes.Status404NotFound, "Not Found", documentation);

    private static IResult BadCredentials() => Error(StatusCodes.Status401Unauthorized, "Bad credentials", "https://docs.github.com/rest");

    private static IResult Error(int status, string message, string documentation) =>
        Results.Json(new { Message = message, DocumentationUrl = documentation, Status = status.ToString(CultureInfo.InvariantCulture) }, Json, statusCode: status);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string NodeId(string kind, long id) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"0{kind.Length}:{kind}{id}"));

    /// <summary>GitHub wraps base64 content at 60 characters a line.</summary>
    private static string WrapBase64(string base64) =>
        string.Concat(base64.Chunk(60).Select(line => new string(line) + "\n"));

#pragma warning disable CA5350 // A git object id is SHA-1 by definition; nothing here is secured by it.
    private static string GitBlobSha(byte[] content) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
#pragma warning restore CA5350

    private sealed record Visibility(FakeGitHubRepository? Repository, FakeGitHubUser? Viewer, IResult Failure);
}
