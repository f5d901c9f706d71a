using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Sustain.Testing.Fakes.GitHub;

/// <summary>A GitHub user account the fake knows: it can approve an OAuth app and is what <c>GET /user</c> answers.</summary>
public sealed class FakeGitHubUser
{
    internal FakeGitHubUser(long id, string login)
    {
        Id = id;
        Login = login;
    }

    public long Id { get; }

    /// <summary>The handle, as GitHub spells it (GitHub compares logins without regard to case).</summary>
    public string Login { get; }

    public string? Name { get; set; }

    /// <summary>The public profile email; null when the user keeps it private, as GitHub answers then.</summary>
    public string? Email { get; set; }

    public string? Company { get; set; }

    public string? Location { get; set; }

    public string? Bio { get; set; }

    public string? Blog { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = new(2015, 3, 14, 9, 26, 53, TimeSpan.Zero);
}

/// <summary>A repository on the fake: its metadata, who may do what, and the files on its default branch.</summary>
public sealed class FakeGitHubRepository
{
    private readonly ConcurrentDictionary<string, GitHubPermission> _collaborators = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeGitHubCommit> _commits = new();
    private readonly ConcurrentQueue<FakeGitHubRelease> _releases = new();

    internal FakeGitHubRepository(long id, string owner, string name)
    {
        Id = id;
        Owner = owner;
        Name = name;
    }

    public long Id { get; }

    public string Owner { get; }

    public string Name { get; }

    public string FullName => $"{Owner}/{Name}";

    public string? Description { get; set; }

    /// <summary>A private repository answers 404 to anyone without a permission on it, as GitHub does.</summary>
    public bool Private { get; set; }

    public bool Archived { get; set; }

    public bool Fork { get; set; }

    public string DefaultBranch { get; set; } = "main";

    public string? Homepage { get; set; }

    public string? Language { get; set; }

    /// <summary>The SPDX id of the detected licence (<c>MIT</c>, <c>Apache-2.0</c>); null when GitHub found none.</summary>
    public string? LicenseSpdxId { get; set; }

    public int Stars { get; set; }

    public int Forks { get; set; }

    public int OpenIssues { get; set; }

    public IList<string> Topics { get; } = [];

    public DateTimeOffset CreatedAt { get; set; } = new(2016, 5, 2, 11, 0, 0, TimeSpan.Zero);

    public DateTimeOffset PushedAt { get; set; } = new(2026, 1, 20, 8, 30, 0, TimeSpan.Zero);

    /// <summary>Gives <paramref name="login"/> a role on the repository (replacing any earlier one).</summary>
    public FakeGitHubRepository Grant(string login, GitHubPermission permission)
    {
        _collaborators[login] = permission;
        return this;
    }

    public FakeGitHubRepository Grant(FakeGitHubUser user, GitHubPermission permission) => Grant(user.Login, permission);

    /// <summary>Adds or replaces a file on the default branch; <paramref name="path"/> has no leading slash (<c>.github/FUNDING.yml</c>).</summary>
    public FakeGitHubRepository AddFile(string path, string content) => AddFile(path, Encoding.UTF8.GetBytes(content));

    public FakeGitHubRepository AddFile(string path, byte[] content)
    {
        _files[path.Trim('/')] = content;
        return this;
    }

    /// <summary>The role <paramref name="login"/> holds; the owner of a user-owned repository is its admin.</summary>
    public GitHubPermission? PermissionOf(string login) =>
        _collaborators.TryGetValue(login, out var permission) ? permission
        : string.Equals(login, Owner, StringComparison.OrdinalIgnoreCase) ? GitHubPermission.Admin
        : null;

    internal IReadOnlyDictionary<string, byte[]> Files => _files;

    /// <summary>A commit on the default branch by <paramref name="login"/> (null: an author with no GitHub account, known only by name and email).</summary>
    public FakeGitHubRepository AddCommit(string? login, DateTimeOffset at, string? email = null)
    {
        _commits.Enqueue(new FakeGitHubCommit(login, email ?? $"{login ?? "someone"}@users.example.test", at));
        return this;
    }

    /// <summary>A published release (or a draft, which only people who can push see).</summary>
    public FakeGitHubRepository AddRelease(string tag, string login, DateTimeOffset publishedAt, bool draft = false)
    {
        _releases.Enqueue(new FakeGitHubRelease(tag, login, publishedAt, draft));
        return this;
    }

    internal IReadOnlyList<FakeGitHubCommit> Commits => [.. _commits.OrderByDescending(c => c.At)];

    internal IReadOnlyList<FakeGitHubRelease> Releases => [.. _releases.OrderByDescending(r => r.PublishedAt)];
}

/// <summary>A commit as the fake lists it: who wrote it and when.</summary>
public sealed record FakeGitHubCommit(string? Login, string Email, DateTimeOffset At);

/// <summary>A release as the fake lists it.</summary>
public sealed record FakeGitHubRelease(string Tag, string Login, DateTimeOffset PublishedAt, bool Draft);

/// <summary>The repository roles, weakest first.</summary>
public enum GitHubPermission
{
    Read,
    Triage,
    Write,
    Maintain,
    Admin,
}

/// <summary>
/// A failure the fake answers instead of the real response, for retry and back-off tests. GitHub signals a
/// spent primary rate limit with 403 and <c>X-RateLimit-Remaining: 0</c>, a secondary limit with 429 (or 403)
/// and <c>Retry-After</c>, and outages with 5xx.
/// </summary>
public sealed record GitHubFailure(int StatusCode, string Message, TimeSpan? RetryAfter = null, bool RateLimitSpent = false)
{
    /// <summary>When set, the <c>X-RateLimit-Reset</c> the failure answers: this long from now (rounded up to a whole second, as GitHub gives epoch seconds).</summary>
    public TimeSpan? ResetIn { get; init; }

    public static GitHubFailure RateLimited() =>
        new(403, "API rate limit exceeded. (But here's the good news: Authenticated requests get a higher rate limit.)", RateLimitSpent: true);

    /// <summary>A spent primary rate limit that resets after <paramref name="resetIn"/>, so a client that waits for the reset can be timed.</summary>
    public static GitHubFailure RateLimited(TimeSpan resetIn) => RateLimited() with { ResetIn = resetIn };

    /// <summary>A 403 secondary rate limit, the older shape GitHub still answers: <c>Retry-After</c> and remaining requests left.</summary>
    public static GitHubFailure SecondaryRateLimitedForbidden(TimeSpan retryAfter) =>
        new(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", retryAfter);

    public static GitHubFailure SecondaryRateLimited(TimeSpan retryAfter) =>
        new(429, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", retryAfter);

    public static GitHubFailure ServerError(int statusCode = 502) => new(statusCode, "Server Error");
}

/// <summary>One request the fake received, with the status it answered.</summary>
public sealed record GitHubRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, int StatusCode)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The token of an <c>Authorization: token …</c> or <c>Bearer …</c> header; null without one.</summary>
    public string? AccessToken => FakeGitHub.TokenOf(Header("Authorization"));

    /// <summary>A field of a form-encoded body (the token exchange posts one).</summary>
    public string? Form(string name) => QueryHelpers.ParseQuery(Body).TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>A query string parameter.</summary>
    public string? QueryValue(string name) => QueryHelpers.ParseQuery(Query).TryGetValue(name, out var value) ? value.ToString() : null;
}
