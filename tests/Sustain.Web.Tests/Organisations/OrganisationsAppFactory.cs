using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data;
using Sustain.Data.Identity;
using Sustain.Data.Organisations;
using Sustain.Web.Organisations;
using Sustain.Web.Tests.Fakes;

namespace Sustain.Web.Tests.Organisations;

/// <summary>A clock the tests move, so expiry is tested without waiting.</summary>
public sealed class AdjustableClock : TimeProvider
{
    private DateTimeOffset now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}

/// <summary>The whole app over a SQLite file of its own, without demo data, for the organisation tests.</summary>
public sealed partial class OrganisationsAppFactory : WebApplicationFactory<Program>
{
    public const string Password = "organisation-tests-2026";

    private readonly string databasePath = Path.Combine(Path.GetTempPath(), $"sustain-orgs-{Guid.NewGuid():N}.db");

    public AdjustableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", $"Data Source={databasePath}");
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("Demo:Seed", "false");
        builder.UseOfflineSettings();
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async Task<SustainDbContext> DbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<SustainDbContext>>().CreateDbContextAsync();

    public async Task<SustainUser> CreateUserAsync(string? name = null)
    {
        var email = $"{new string((name ?? "user").Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant()}-{Guid.NewGuid():N}@example.test";
        return await WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<SustainUser>>();
            var user = new SustainUser { UserName = email, Email = email, DisplayName = name };
            var result = await users.CreateAsync(user, Password);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
            return user;
        });
    }

    /// <summary>An organisation owned by <paramref name="owner"/>, with the other people in the roles given.</summary>
    public async Task<Organisation> CreateOrganisationAsync(SustainUser owner, params (SustainUser User, OrganisationRole Role)[] others)
    {
        var slug = "org-" + Guid.NewGuid().ToString("N")[..12];
        var (organisation, error) = await WithScopeAsync(services => services.GetRequiredService<OrganisationService>().CreateAsync(owner.Id, "Test " + slug, slug, 25));
        Assert.Null(error);
        await using var db = await DbAsync();
        foreach (var (user, role) in others)
            db.Memberships.Add(new Membership { OrganisationId = organisation!.Id, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
        return organisation!;
    }

    /// <summary>What the pages pass to the services for a member: the organisation and the role as it was when the page loaded.</summary>
    public static OrgAccess AccessOf(Organisation organisation, SustainUser user, OrganisationRole role) =>
        new(organisation, role, user.Id, null, ApiTokenScopes.None);

    /// <summary>Signs in through the login form, as a browser does; the client keeps the cookie.</summary>
    public static async Task SignInAsync(HttpClient browser, SustainUser user)
    {
        var form = await browser.GetStringAsync("/account/login");
        using var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public static string AntiforgeryToken(string html)
    {
        var match = AntiforgeryPattern().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-shm", "-wal" })
            File.Delete(databasePath + suffix);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();
}
