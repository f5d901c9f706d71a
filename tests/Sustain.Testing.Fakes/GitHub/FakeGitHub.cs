using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sustain.Testing.Fakes.GitHub;

/// <summary>
/// GitHub on a loopback port: a real Kestrel server answering the OAuth web flow and the REST endpoints
/// Sustain calls, with GitHub's own response shapes, so Octokit and ASP.NET Core's OAuth handler talk to it
/// exactly as they would to github.com. One server plays both hosts (github.com and api.github.com).
/// <code>
/// await using var github = await FakeGitHub.StartAsync();
/// var octocat = github.AddUser("octocat", name: "The Octocat", email: "octocat@example.test");
/// github.SignInAs(octocat);                      // who approves the next authorization
/// github.AddRepository("octo-org", "widget").Grant(octocat, GitHubPermission.Maintain).AddFile("README.md", "# widget");
/// // point the app at github.Address (see <see cref="SustainSettings"/>), drive it, then assert on github.Requests
/// github.FailNext(GitHubFailure.RateLimited(), times: 2, pathPrefix: "/repos/");
/// </code>
/// </summary>
public sealed partial class FakeGitHub : IAsyncDisposable
{
    public const string DefaultClientId = "Iv1.fakeclientid0001";
    public const string DefaultClientSecret = "fake-client-secret-0001";

    /// <summary>The core rate limit GitHub gives an authenticated caller per hour (unauthenticated callers get 60).</summary>
    public const int AuthenticatedRateLimit = 5000;
    public const int AnonymousRateLimit = 60;

    private readonly Lock _gate = new();
    private readonly List<FakeGitHubUser> _users = [];
    private readonly Dictionary<string, FakeGitHubRepository> _repositories = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _organisations = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AccessGrant> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requestsUsed = new(StringComparer.Ordinal);
    private readonly List<GitHubRequest> _requests = [];
    private readonly List<ScheduledFailure> _failures = [];
    private readonly DateTimeOffset _rateLimitReset = DateTimeOffset.UtcNow.AddHours(1);
    private WebApplication? _app;
    private long _nextId = 583231;
    private FakeGitHubUser? _signedIn;
    private int _denials;

    private FakeGitHub(string clientId, string clientSecret)
    {
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    /// <summary>The registered OAuth app's client id; the token exchange refuses any other.</summary>
    public string ClientId { get; }

    public string ClientSecret { get; }

    /// <summary>Where the server listens, with a trailing slash: <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; private set; } = default!;

    /// <summary>The base of <c>login/oauth/authorize</c> and <c>login/oauth/access_token</c> (github.com on the real thing).</summary>
    public Uri OAuthBaseAddress => Address;

    /// <summary>The REST API's base (api.github.com on the real thing).</summary>
    public Uri ApiBaseAddress => Address;

    /// <summary>Sustain's settings that point "Sign in with GitHub" and its API client at this fake.</summary>
    public IReadOnlyDictionary<string, string> SustainSettings => new Dictionary<string, string>
    {
        ["GitHub:ClientId"] = ClientId,
        ["GitHub:ClientSecret"] = ClientSecret,
        ["GitHub:OAuthBaseAddress"] = OAuthBaseAddress.ToString(),
        ["GitHub:ApiBaseAddress"] = ApiBaseAddress.ToString(),
    };

    /// <summary>Every request so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<GitHubRequest> Requests
    {
        get
        {
            lock (_gate)
                return [.. _requests];
        }
    }

    /// <summary>The requests whose path is <paramref name="path"/> (no query string), oldest first.</summary>
    public IReadOnlyList<GitHubRequest> RequestsTo(string path) =>
        [.. Requests.Where(r => string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<FakeGitHub> StartAsync(string clientId = DefaultClientId, string clientSecret = DefaultClientSecret)
    {
        var fake = new FakeGitHub(clientId, clientSecret);
        (fake._app, fake.Address) = await LoopbackServer.StartAsync(app =>
        {
            app.Use(fake.RecordAsync);
            app.Use(fake.FailWhenScheduledAsync);
            app.UseRouting();
            fake.MapOAuth(app);
            fake.MapPulls(app);
            fake.MapSignals(app);
            fake.MapRest(app);
        });
        return fake;
    }

    /// <summary>Adds a user; ids are assigned in order, like GitHub's, and never reused.</summary>
    public FakeGitHubUser AddUser(string login, string? name = null, string? email = null)
    {
        lock (_gate)
        {
            if (_users.Any(u => string.Equals(u.Login, login, StringComparison.OrdinalIgnoreCase)))
                throw new InvalidOperationException($"The fake already has a user '{login}'.");
            var user = new FakeGitHubUser(++_nextId, login) { Name = name, Email = email };
            _users.Add(user);
            return user;
        }
    }

    /// <summary>
    /// Adds a repository. An owner that is not a known user is taken to be an organisation. Configure the rest
    /// on the returned object: <c>.Grant(...)</c>, <c>.AddFile(...)</c>, <c>Description</c>, <c>Private</c>...
    /// </summary>
    public FakeGitHubRepository AddRepository(string owner, string name, string? description = null)
    {
        lock (_gate)
        {
            if (_repositories.ContainsKey($"{owner}/{name}"))
                throw new InvalidOperationException($"The fake already has a repository '{owner}/{name}'.");
            if (FindUser(owner) is null && !_organisations.ContainsKey(owner))
                _organisations[owner] = ++_nextId;
            var repository = new FakeGitHubRepository(++_nextId, owner, name) { Description = description };
            _repositories[repository.FullName] = repository;
            return repository;
        }
    }

    /// <summary>The user signed in to "github.com" in the browser: the next authorizations are approved as them.</summary>
    public void SignInAs(FakeGitHubUser user)
    {
        lock (_gate)
            _signedIn = user;
    }

    /// <summary>The next <paramref name="times"/> authorizations are refused as a user pressing "Cancel" would (<c>error=access_denied</c>).</summary>
    public void DenyNextAuthorization(int times = 1) => Interlocked.Add(ref _denials, times);

    /// <summary>An access token for <paramref name="user"/>, as a personal access token or app token would be, for API calls made outside a sign-in.</summary>
    public string CreateToken(FakeGitHubUser user, params string[] scopes)
    {
        var token = "ghp_" + RandomToken(36);
        _tokens[token] = new AccessGrant(user, scopes);
        return token;
    }

    /// <summary>Whom a token was issued to (by the OAuth exchange, <c>gho_…</c>, or <see cref="CreateToken"/>, <c>ghp_…</c>); null for a token the fake never issued.</summary>
    public FakeGitHubUser? UserOfToken(string? token) => token is not null && _tokens.TryGetValue(token, out var grant) ? grant.User : null;

    /// <summary>
    /// The next <paramref name="times"/> requests whose path starts with <paramref name="pathPrefix"/> (any
    /// request when null) get <paramref name="failure"/> instead of their answer. Failures queue in order.
    /// </summary>
    public void FailNext(GitHubFailure failure, int times = 1, string? pathPrefix = null)
    {
        lock (_gate)
            _failures.Add(new ScheduledFailure(failure, pathPrefix, times));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    internal static string? TokenOf(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
            return null;
        var parts = authorization.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 2 && (parts[0].Equals("token", StringComparison.OrdinalIgnoreCase) || parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase))
            ? parts[1]
            : null;
    }

    private FakeGitHubUser? FindUser(string login)
    {
        lock (_gate)
            return _users.Find(u => string.Equals(u.Login, login, StringComparison.OrdinalIgnoreCase));
    }

    private FakeGitHubRepository? FindRepository(string owner, string name)
    {
        lock (_gate)
            return _repositories.GetValueOrDefault($"{owner}/{name}");
    }

    private long? OrganisationId(string login)
    {
        lock (_gate)
            return _organisations.TryGetValue(login, out var id) ? id : null;
    }

    private async Task RecordAsync(HttpContext http, RequestDelegate next)
    {
        http.Request.EnableBuffering();
        using var reader = new StreamReader(http.Request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;

        await next(http);

        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new GitHubRequest(http.Request.Method, http.Request.Path.Value ?? "/", http.Request.QueryString.Value ?? "", headers, body, http.Response.StatusCode);
        lock (_gate)
            _requests.Add(request);
    }

    private async Task FailWhenScheduledAsync(HttpContext http, RequestDelegate next)
    {
        GitHubFailure? failure = null;
        lock (_gate)
        {
            var path = http.Request.Path.Value ?? "/";
            var scheduled = _failures.Find(f => f.PathPrefix is null || path.StartsWith(f.PathPrefix, StringComparison.OrdinalIgnoreCase));
            if (scheduled is not null)
            {
                failure = scheduled.Failure;
                if (--scheduled.Remaining == 0)
                    _failures.Remove(scheduled);
            }
        }

        if (failure is null)
        {
            await next(http);
            return;
        }

        if (!http.Request.Path.StartsWithSegments("/login/oauth"))
            WriteRateLimitHeaders(http, CallerKey(http), spend: false, forceSpent: failure.RateLimitSpent);
        WriteFailureReset(http, failure);
        if (failure.RetryAfter is { } retryAfter)
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Results.Json(new { Message = failure.Message, DocumentationUrl = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }, Json, statusCode: failure.StatusCode)
            .ExecuteAsync(http);
    }

    private static string RandomToken(int length) =>
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];

    private sealed record AuthorizationCode(FakeGitHubUser User, string RedirectUri, string[] Scopes, DateTimeOffset ExpiresAt);

    private sealed record AccessGrant(FakeGitHubUser User, string[] Scopes);

    private sealed class ScheduledFailure(GitHubFailure failure, string? pathPrefix, int remaining)
    {
        public GitHubFailure Failure { get; } = failure;

        public string? PathPrefix { get; } = pathPrefix;

        public int Remaining { get; set; } = remaining;
    }
}
