using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data;
using Sustain.Data.Organisations;
using Sustain.Web.Organisations;
using Sustain.Web.Projects;
using Sustain.Web.Sboms;
using Sustain.Testing.Fakes.GitHub;
using Sustain.Web.Tests.Fakes;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Projects;

/// <summary>A component of a test SBOM: its purl, and what the SBOM says of its repository.</summary>
public sealed record TestComponent(string Purl, string? Vcs = null, string? Website = null, bool Direct = true);

/// <summary>
/// The app with a fake ecosyste.ms and a fake GitHub behind it. Tests share them, and tell their data
/// apart by unique package and repository names. The job worker is off: tests run due jobs themselves
/// with <see cref="RunDueJobsAsync"/>, so nothing runs behind their back.
/// </summary>
public sealed class ProjectsAppFixture : IAsyncLifetime
{
    public ProjectsAppFixture()
    {
    }

    /// <summary>The same helpers over an app and fake the caller started and disposes.</summary>
    internal ProjectsAppFixture(SustainAppFactory app, FakeEcosystems ecosystems)
    {
        App = app;
        Ecosystems = ecosystems;
    }

    public FakeEcosystems Ecosystems { get; private set; } = default!;

    /// <summary>Null for a fixture made over an app the caller started.</summary>
    public FakeGitHub? GitHub { get; private set; }

    public SustainAppFactory App { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Ecosystems = await FakeEcosystems.StartAsync();
        GitHub = await FakeGitHub.StartAsync();
        // An app token, as in production: 5,000 requests an hour rather than the 60 an anonymous caller gets.
        var token = GitHub.CreateToken(GitHub.AddUser("sustain-app"));
        App = new SustainAppFactory
        {
            Settings =
            {
                ["Ecosystems:BaseAddress"] = Ecosystems.BaseAddress.ToString(),
                ["Ecosystems:RetryDelay"] = "00:00:00.010",
                ["Ecosystems:MaxRetries"] = "2",
                ["Ecosystems:Contact"] = "ops@sustain.example",
                ["GitHub:ApiBaseAddress"] = GitHub.ApiBaseAddress.ToString(),
                ["GitHub:Token"] = token,
                ["GitHub:Calls:MaxRetries"] = "2",
                ["GitHub:Calls:RetryDelay"] = "00:00:00.020",
                ["Jobs:Enabled"] = "false",
                ["Projects:CompanyOrganisations:0"] = "megacorp-oss",
            },
        };
        _ = App.Server;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Ecosystems.DisposeAsync();
        if (GitHub is not null)
            await GitHub.DisposeAsync();
    }

    /// <summary>Runs every due job to its end, as a worker would, until none is due; returns how each ended.</summary>
    public async Task<IReadOnlyList<Sustain.Data.Jobs.Job>> RunDueJobsAsync()
    {
        var runner = App.Services.GetRequiredService<Sustain.Web.Jobs.JobRunner>();
        var ran = new List<Guid>();
        while (await runner.ClaimAsync(4) is { Count: > 0 } claimed)
        {
            await Task.WhenAll(claimed.Select(job => runner.RunAsync(job, CancellationToken.None)));
            ran.AddRange(claimed.Select(j => j.Id));
        }

        return await QueryAsync(db => db.Jobs.AsNoTracking().Where(j => ran.Contains(j.Id)).OrderBy(j => j.CreatedAt).ToListAsync());
    }

    /// <summary>The organisation's jobs of one kind, oldest first.</summary>
    public Task<List<Sustain.Data.Jobs.Job>> JobsAsync(string kind, Guid organisationId)
    {
        var prefix = organisationId.ToString("N") + ":";
        return QueryAsync(db => db.Jobs.AsNoTracking().Where(j => j.Kind == kind && j.IdempotencyKey.StartsWith(prefix)).OrderBy(j => j.CreatedAt).ToListAsync());
    }

    /// <summary>A new organisation (with its owner) whose product's current SBOM holds the components.</summary>
    public async Task<(Organisation Organisation, string OwnerId)> OrganisationWithSbomAsync(params TestComponent[] components)
    {
        var owner = await App.CreateUserAsync();
        var organisation = await App.CreateOrganisationAsync(owner.Id, "Projects test");
        await UploadAsync(organisation, owner.Id, "app", components);
        return (organisation, owner.Id);
    }

    public async Task UploadAsync(Organisation organisation, string userId, string product, IReadOnlyList<TestComponent> components)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var ingestion = scope.ServiceProvider.GetRequiredService<SbomIngestion>();
        var access = new OrgAccess(organisation, OrganisationRole.Owner, userId, null, ApiTokenScopes.None);
        await using var body = new MemoryStream(Encoding.UTF8.GetBytes(CycloneDx(components)));
        var result = await ingestion.IngestAsync(access, product, body, "bom.json", CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
    }

    public async Task<ResolutionReport> ResolveAsync(Guid organisationId, IProgress<ResolutionProgress>? progress = null)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ProjectResolver>().ResolveOrganisationAsync(organisationId, progress, CancellationToken.None);
    }

    public Task<T> QueryAsync<T>(Func<SustainDbContext, Task<T>> query) => App.QueryAsync(query);

    public Task<Dictionary<string, Sustain.Data.Projects.PackageProject>> MappingsAsync(Guid organisationId) =>
        QueryAsync(db => db.PackageProjects.AsNoTracking().Where(m => m.OrganisationId == organisationId).ToDictionaryAsync(m => m.PackageKey));

    public Task<Dictionary<string, Sustain.Data.Projects.UnresolvedPackage>> UnresolvedAsync(Guid organisationId) =>
        QueryAsync(db => db.UnresolvedPackages.AsNoTracking().Where(u => u.OrganisationId == organisationId).ToDictionaryAsync(u => u.PackageKey));

    /// <summary>A unique prefix for package names, so tests sharing the fake do not see each other's requests.</summary>
    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    private static readonly JsonSerializerOptions WithoutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string CycloneDx(IReadOnlyList<TestComponent> components)
    {
        var entries = components.Select((c, i) =>
        {
            var references = new List<object>();
            if (c.Vcs is not null)
                references.Add(new { type = "vcs", url = c.Vcs });
            if (c.Website is not null)
                references.Add(new { type = "website", url = c.Website });
            return new Dictionary<string, object?>
            {
                ["bom-ref"] = $"c{i}",
                ["type"] = "library",
                ["name"] = $"component-{i}",
                ["version"] = "1.0.0",
                ["purl"] = c.Purl,
                ["externalReferences"] = references.Count == 0 ? null : references,
            };
        }).ToList();
        var direct = components.Select((c, i) => (c, i)).Where(x => x.c.Direct).Select(x => $"c{x.i}").ToList();
        var firstDirect = direct.FirstOrDefault() ?? "c0";
        var transitive = components.Select((c, i) => (c, i)).Where(x => !x.c.Direct).Select(x => $"c{x.i}").ToList();
        var dependencies = new List<object> { new { @ref = "app", dependsOn = direct } };
        if (transitive.Count > 0)
            dependencies.Add(new { @ref = firstDirect, dependsOn = transitive });
        var document = new Dictionary<string, object?>
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.5",
            ["version"] = 1,
            ["metadata"] = new { component = new Dictionary<string, object> { ["bom-ref"] = "app", ["type"] = "application", ["name"] = "app" } },
            ["components"] = entries,
            ["dependencies"] = dependencies,
        };
        return JsonSerializer.Serialize(document, WithoutNulls);
    }
}
