using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core;
using Sustain.Core.Funding;
using Sustain.Data.Identity;
using Sustain.Data.Organisations;
using Sustain.Data.Projects;
using Sustain.Web.Allocations;
using Sustain.Web.Organisations;
using Sustain.Web.Projects;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Allocations;

/// <summary>
/// An organisation whose one product depends on five packages, each kind the allocation meets:
/// <code>
/// app ─┬─ a ── c        a → github.com/alpha-ID/a-lib (its registry funding link names sponsors/alpha-dev)
///      ├─ b ── d        b → github.com/beta-ID/b-lib (its FUNDING.yml names github: beta-maint),  c → github.com/gamma-ID/c-lib
///      └─ e             d has no package URL; e is unknown to the registry
/// </code>
/// At α = 0.5, a, b and c each carry a sixth of the reliance, d and e are left out, so the three
/// projects get a third of the budget each. Keys carry a unique id, because packages and projects are
/// shared by every organisation in the database.
/// </summary>
public sealed class AllocationScenario
{
    public required Organisation Organisation { get; init; }

    public required SustainUser Owner { get; init; }

    public required HttpClient Browser { get; init; }

    public required string Id { get; init; }

    public string Slug => Organisation.Slug;

    public string ProjectA => $"github.com/alpha-{Id}/a-lib";

    public string ProjectB => $"github.com/beta-{Id}/b-lib";

    public string ProjectC => $"github.com/gamma-{Id}/c-lib";

    public OrgAccess OwnerAccess => new(Organisation, OrganisationRole.Owner, Owner.Id, null, ApiTokenScopes.None);

    public static string Sbom(string id) => $$"""
        {
          "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
          "metadata": { "component": { "bom-ref": "app", "type": "application", "name": "shop-app" } },
          "components": [
            { "bom-ref": "a", "type": "library", "name": "a-{{id}}", "version": "1.0.0", "purl": "pkg:npm/a-{{id}}@1.0.0" },
            { "bom-ref": "b", "type": "library", "name": "b-{{id}}", "version": "1.0.0", "purl": "pkg:npm/b-{{id}}@1.0.0" },
            { "bom-ref": "c", "type": "library", "name": "c-{{id}}", "version": "1.0.0", "purl": "pkg:npm/c-{{id}}@1.0.0" },
            { "bom-ref": "d", "type": "library", "name": "vendored-{{id}}", "version": "0.1" },
            { "bom-ref": "e", "type": "library", "name": "e-{{id}}", "version": "1.0.0", "purl": "pkg:npm/e-{{id}}@1.0.0" }
          ],
          "dependencies": [
            { "ref": "app", "dependsOn": ["a", "b", "e"] },
            { "ref": "a", "dependsOn": ["c"] },
            { "ref": "b", "dependsOn": ["d"] }
          ]
        }
        """;

    public static async Task<AllocationScenario> CreateAsync(SustainAppFactory app, int headcount = 10)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var (owner, browser, _) = await app.SignedInUserAsync("Olive Owner");
        var organisation = await app.CreateOrganisationAsync(owner.Id, $"Shop {id}");
        using (var upload = await browser.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "shop"), SbomFixtures.Body(Sbom(id))))
            await upload.AssertStatusAsync(HttpStatusCode.Created);

        await app.QueryAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var org = await db.Organisations.FindAsync(organisation.Id);
            org!.DeveloperHeadcount = headcount;
            foreach (var (name, owner_, repo) in new[] { ("a", "alpha", "a-lib"), ("b", "beta", "b-lib"), ("c", "gamma", "c-lib") })
            {
                var key = $"github.com/{owner_}-{id}/{repo}";
                db.Projects.Add(new Project { Key = key, Host = "github.com", Owner = $"{owner_}-{id}", Name = repo, RepositoryUrl = "https://" + key });
                db.Packages.Add(new Package { Key = $"pkg:npm/{name}-{id}", Ecosystem = "npm", Name = $"{name}-{id}", FundingLinks = name == "a" ? $"https://opencollective.com/a\nhttps://github.com/sponsors/alpha-dev" : null });
                db.PackageProjects.Add(new PackageProject { OrganisationId = organisation.Id, PackageKey = $"pkg:npm/{name}-{id}", ProjectKey = key, Source = MappingSource.Registry, ResolvedAt = now });
            }

            db.ProjectSignals.Add(new ProjectSignals
            {
                ProjectKey = $"github.com/beta-{id}/b-lib",
                Status = SignalsStatus.Fetched,
                FundingChannelsJson = StoredFundingChannel.Serialise(FundingChannels.From(FundingYml.Parse("github: [beta-maint]\nko_fi: beta\n"), null)),
                FetchedAt = now,
                ExpiresAt = now.AddDays(7),
            });
            db.Packages.Add(new Package { Key = $"pkg:npm/e-{id}", Ecosystem = "npm", Name = $"e-{id}" });
            db.UnresolvedPackages.Add(new UnresolvedPackage { OrganisationId = organisation.Id, PackageKey = $"pkg:npm/e-{id}", Reason = UnresolvedReason.RegistryNotFound, CheckedAt = now });
            return await db.SaveChangesAsync();
        });

        return new AllocationScenario { Organisation = organisation, Owner = owner, Browser = browser, Id = id };
    }

    /// <summary>Saves a snapshot of the scenario's allocation of <paramref name="budget"/> under the default policy, as the owner.</summary>
    public async Task<Guid> SaveSnapshotAsync(SustainAppFactory app, Money budget, string? label = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var basis = await scope.ServiceProvider.GetRequiredService<AllocationBasisReader>().ReadAsync(Organisation.Id);
        var policy = new StoredPolicy(budget.Currency, budget, PolicySettings.Default);
        var allocation = basis.Prepare(policy).Allocate(budget, policy.Settings.ToPolicy(budget.Currency));
        var (snapshot, error) = await scope.ServiceProvider.GetRequiredService<SnapshotService>().SaveAsync(OwnerAccess, label, policy, allocation, basis);
        Assert.True(snapshot is not null, error);
        return snapshot.Value;
    }

    /// <summary>Adds a user to the organisation with <paramref name="role"/>, signed in: their browser.</summary>
    public async Task<(SustainUser User, HttpClient Browser)> MemberAsync(SustainAppFactory app, OrganisationRole role, string? gitHubLogin = null)
    {
        var (user, browser, _) = await app.SignedInUserAsync("Mel Member");
        await app.QueryAsync(async db =>
        {
            db.Memberships.Add(new Membership { OrganisationId = Organisation.Id, UserId = user.Id, Role = role });
            if (gitHubLogin is not null)
                (await db.Users.FindAsync(user.Id))!.GitHubLogin = gitHubLogin;
            return await db.SaveChangesAsync();
        });
        return (user, browser);
    }
}
