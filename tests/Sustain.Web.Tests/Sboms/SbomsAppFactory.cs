using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data;
using Sustain.Data.Organisations;
using Sustain.Web.Identity;
using Sustain.Web.Tests.Fakes;

namespace Sustain.Web.Tests.Sboms;

/// <summary>
/// The app on Kestrel (a real port, so the CLI can reach it too) over a temporary SQLite file,
/// with an organisation and an outsider organisation, each with an SBOM read-write token.
/// </summary>
public sealed class SbomsAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Org = "tests-org";
    public const string OutsiderOrg = "outsider-org";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"sustain-sboms-{Guid.NewGuid():N}.db");

    public SbomsAppFactory() => UseKestrel(0);

    public string Token { get; private set; } = "";

    public string OutsiderToken { get; private set; } = "";

    public Uri ServerAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", $"Data Source={_database}");
        builder.UseSetting("Demo:Seed", "false");
        builder.UseOfflineSettings();
        builder.UseSetting("RateLimits:ApiRequestsPerMinute", "100000");
    }

    public async Task InitializeAsync()
    {
        StartServer();
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SustainDbContext>();
        Token = Seed(db, Org);
        OutsiderToken = Seed(db, OutsiderOrg);
        await db.SaveChangesAsync();
    }

    private static string Seed(SustainDbContext db, string slug)
    {
        var organisation = new Organisation { Slug = slug, Name = slug };
        db.Organisations.Add(organisation);
        var (secret, hash, prefix) = OrgTokenAuthenticationHandler.NewToken();
        db.ApiTokens.Add(new ApiToken
        {
            OrganisationId = organisation.Id, Name = "ci", Prefix = prefix, Hash = hash,
            Scopes = ApiTokenScopes.SbomsRead | ApiTokenScopes.SbomsWrite, CreatedByUserId = "tests",
        });
        return secret;
    }

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
            File.Delete(file);
    }
}
