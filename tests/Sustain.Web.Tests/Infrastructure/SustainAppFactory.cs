using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data;
using Sustain.Data.Identity;
using Sustain.Data.Organisations;
using Sustain.Web.Identity;
using Sustain.Web.Organisations;
using Sustain.Web.Tests.Fakes;

namespace Sustain.Web.Tests.Infrastructure;

/// <summary>
/// The whole app in process, against a real database of its own (see <see cref="TestDatabase"/>): SQLite, or the
/// PostgreSQL server <c>SUSTAIN_TEST_POSTGRES</c> names, so every test that starts the app runs on both. Settings
/// and the clock can be changed before the first client is created:
/// <c>new SustainAppFactory { Settings = { ["Demo:Seed"] = "true" } }</c>. A feature whose tests share set-up
/// derives from it (<c>OrganisationsAppFactory</c>, <c>SbomsAppFactory</c>) rather than starting the app another way.
/// </summary>
public class SustainAppFactory : WebApplicationFactory<Program>
{
    public const string Password = "correct-horse-battery-7";

    private readonly TestDatabase _database = TestDatabase.Create();
    private bool _databaseDropped;

    public Dictionary<string, string> Settings { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Demo:Seed"] = "false",
        // No background worker: a job queued by an upload (resolution, enrichment) would race the test's
        // own writes. Tests that mean to run jobs run them, or set this to true.
        ["Jobs:Enabled"] = "false",
        ["RateLimits:ApiRequestsPerMinute"] = "1000000",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    /// <summary>The app's clock; the system's unless a test sets one it moves (see <see cref="AdjustableClock"/>).</summary>
    public TimeProvider? Time { get; init; }

    public string DatabaseProvider => _database.Provider;

    public string DatabaseConnectionString => _database.ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", _database.Provider);
        builder.UseSetting("Database:ConnectionString", _database.ConnectionString);
        builder.UseOfflineSettings();
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        if (Time is { } time)
            builder.ConfigureTestServices(services => services.AddSingleton(time));
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects so tests see them. (Like every client here, it goes to the server's own address, which is a real port when a factory runs on Kestrel.)</summary>
    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ClientOptions.BaseAddress, AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client that sends the organisation token as a bearer, and nothing else.</summary>
    public HttpClient CreateTokenClient(string token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ClientOptions.BaseAddress, AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<SustainUser> CreateUserAsync(string? email = null, string? displayName = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.test";
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SustainUser>>();
        var user = new SustainUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName ?? "Test User" };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user;
    }

    /// <summary>
    /// A new user, signed in through the login form: a browser client holding their cookie, and the
    /// cookie itself for requests made without that client.
    /// </summary>
    public async Task<(SustainUser User, HttpClient Browser, string Cookie)> SignedInUserAsync(string? displayName = null, string? email = null)
    {
        var user = await CreateUserAsync(email, displayName);
        var browser = CreateBrowser();
        using var response = await LogInAsync(browser, user);
        var cookie = IdentityCookie(response);
        Assert.NotNull(cookie);
        return (user, browser, cookie);
    }

    /// <summary>Signs a user made by <see cref="CreateUserAsync"/> in through the login form, as a browser does; the client keeps the cookie.</summary>
    public static async Task SignInAsync(HttpClient browser, SustainUser user)
    {
        using var response = await LogInAsync(browser, user);
    }

    private static async Task<HttpResponseMessage> LogInAsync(HttpClient browser, SustainUser user)
    {
        var response = await Forms.SubmitAsync(browser, "/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = Password,
        });
        await response.AssertStatusAsync(System.Net.HttpStatusCode.Redirect);
        return response;
    }

    /// <summary>The sign-in cookie a response sets, as a <c>Cookie</c> header value; null when it sets none.</summary>
    public static string? IdentityCookie(HttpResponseMessage response)
    {
        var pairs = response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';')[0]).Where(p => p.StartsWith(".AspNetCore." + IdentityConstants.ApplicationScheme + "=", StringComparison.Ordinal) && !p.EndsWith('=')).ToList()
            : [];
        return pairs.Count == 0 ? null : string.Join("; ", pairs);
    }

    public async Task<Organisation> CreateOrganisationAsync(string ownerId, string name, string? slug = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var (organisation, error) = await scope.ServiceProvider.GetRequiredService<OrganisationService>().CreateAsync(ownerId, name, slug ?? UniqueSlug("org"), 10);
        Assert.True(organisation is not null, error);
        return organisation;
    }

    /// <summary>An organisation token as the token settings page will create it: only the hash is stored.</summary>
    public async Task<string> CreateTokenAsync(Organisation organisation, string createdByUserId, ApiTokenScopes scopes, bool revoked = false, string name = "ci")
    {
        var (secret, hash, prefix) = OrgTokenAuthenticationHandler.NewToken();
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SustainDbContext>();
        db.ApiTokens.Add(new ApiToken
        {
            OrganisationId = organisation.Id,
            Name = name,
            Prefix = prefix,
            Hash = hash,
            Scopes = scopes,
            CreatedByUserId = createdByUserId,
            RevokedAt = revoked ? DateTimeOffset.UtcNow : null,
        });
        await db.SaveChangesAsync();
        return secret;
    }

    /// <summary>Reads the database directly, to check what a request stored (or did not).</summary>
    public Task<T> QueryAsync<T>(Func<SustainDbContext, Task<T>> query) =>
        WithScopeAsync(services => query(services.GetRequiredService<SustainDbContext>()));

    /// <summary>Runs <paramref name="action"/> with the app's services, in a scope of its own.</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task<int> UploadCountAsync(Guid organisationId) => QueryAsync(db => db.SbomUploads.CountAsync(u => u.OrganisationId == organisationId));

    public static string UniqueSlug(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_databaseDropped)
            return;
        _databaseDropped = true;
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
