using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Organisations;
using Sustain.Data.Projects;
using Sustain.Web.Organisations;
using Sustain.Web.Projects;

namespace Sustain.Web.Tests.Projects;

public sealed class ProjectResolutionTests(ProjectsAppFixture fixture) : IClassFixture<ProjectsAppFixture>
{
    private const string Npm = Sustain.Web.Tests.Fakes.FakeEcosystems.Npm;

    private static string NpmPurl(string name) => name.StartsWith('@') ? $"pkg:npm/%40{name[1..]}@1.0.0" : $"pkg:npm/{name}@1.0.0";

    private static string NpmKey(string name) => NpmPurl(name)[..^"@1.0.0".Length];

    [Fact]
    public async Task What_the_SBOM_says_comes_before_the_registry_and_the_registry_fills_the_rest()
    {
        var named = ProjectsAppFixture.Unique("named");
        var looked = ProjectsAppFixture.Unique("looked");
        fixture.Ecosystems.Add(Npm, named, "https://github.com/registry/says-otherwise");
        fixture.Ecosystems.Add(Npm, looked, "git+https://github.com/Looked/Up.git");
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(
            new TestComponent(NpmPurl(named), Vcs: "https://github.com/sbom/says"),
            new TestComponent(NpmPurl(looked)));

        var report = await fixture.ResolveAsync(organisation.Id);

        var mappings = await fixture.MappingsAsync(organisation.Id);
        Assert.Equal(("github.com/sbom/says", MappingSource.Sbom), (mappings[NpmKey(named)].ProjectKey, mappings[NpmKey(named)].Source));
        Assert.Equal(("github.com/looked/up", MappingSource.Registry), (mappings[NpmKey(looked)].ProjectKey, mappings[NpmKey(looked)].Source));
        Assert.Equal(0, fixture.Ecosystems.RequestsFor(Npm, named));
        Assert.Equal(1, fixture.Ecosystems.RequestsFor(Npm, looked));
        Assert.Equal((1, 1, 0), (report.FromSbom, report.FromRegistry, report.Unresolved));
    }

    [Fact]
    public async Task An_organisation_whose_SBOM_names_every_repository_asks_ecosystems_nothing()
    {
        var named = ProjectsAppFixture.Unique("self-described");
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(
            new TestComponent(NpmPurl(named), Vcs: "https://github.com/self/described"),
            new TestComponent("pkg:github/Owner/Other@v2.0.0"));
        var listsBefore = fixture.Ecosystems.RegistryListRequests;

        var report = await fixture.ResolveAsync(organisation.Id);

        Assert.Equal((2, 0), (report.FromSbom, report.Unresolved));
        Assert.Equal(0, fixture.Ecosystems.RequestsFor(Npm, named));
        Assert.Equal(listsBefore, fixture.Ecosystems.RegistryListRequests);
    }

    [Fact]
    public async Task A_pkg_github_purl_and_a_code_host_website_are_read_from_the_SBOM()
    {
        var site = ProjectsAppFixture.Unique("site");
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(
            new TestComponent("pkg:github/Owner/Tool@v1.2.0"),
            new TestComponent(NpmPurl(site), Website: "https://github.com/site-owner/site-repo#readme"));

        await fixture.ResolveAsync(organisation.Id);

        var mappings = await fixture.MappingsAsync(organisation.Id);
        Assert.Equal("github.com/owner/tool", mappings["pkg:github/owner/tool"].ProjectKey);
        Assert.Equal("github.com/site-owner/site-repo", mappings[NpmKey(site)].ProjectKey);
        Assert.Equal(0, fixture.Ecosystems.RequestsFor(Npm, site));
    }

    [Fact]
    public async Task Every_babel_package_maps_to_the_one_babel_project()
    {
        var scope = "@" + ProjectsAppFixture.Unique("babel");
        var names = new[] { "core", "parser", "traverse", "generator" }.Select(n => $"{scope}/{n}").ToList();
        foreach (var name in names)
            fixture.Ecosystems.Add(Npm, name, $"https://github.com/babel/babel/tree/main/packages/babel-{name.Split('/')[1]}");
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(names.Select(n => new TestComponent(NpmPurl(n))).ToArray());

        await fixture.ResolveAsync(organisation.Id);

        var mappings = await fixture.MappingsAsync(organisation.Id);
        Assert.Equal(4, mappings.Count);
        Assert.All(mappings.Values, m => Assert.Equal("github.com/babel/babel", m.ProjectKey));
        Assert.Equal(1, await fixture.QueryAsync(db => db.Projects.CountAsync(p => p.Key == "github.com/babel/babel")));
        Assert.All(names, n => Assert.Equal(1, fixture.Ecosystems.RequestsFor(Npm, n)));
    }

    [Fact]
    public async Task A_manual_mapping_overrides_the_SBOM_and_the_registry_for_its_organisation_only()
    {
        var package = ProjectsAppFixture.Unique("manual");
        fixture.Ecosystems.Add(Npm, package, "https://github.com/registry/answer");
        var component = new TestComponent(NpmPurl(package), Vcs: "https://github.com/sbom/answer");
        var (mine, ownerId) = await fixture.OrganisationWithSbomAsync(component);
        var (theirs, _) = await fixture.OrganisationWithSbomAsync(component);

        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var access = new OrgAccess(mine, OrganisationRole.Owner, ownerId, null, ApiTokenScopes.None);
            Assert.Null(await scope.ServiceProvider.GetRequiredService<ProjectCatalogue>().MapAsync(access, NpmKey(package), "https://gitlab.com/Group/Sub/Real"));
        }

        await fixture.ResolveAsync(mine.Id);
        await fixture.ResolveAsync(theirs.Id);

        var my = (await fixture.MappingsAsync(mine.Id))[NpmKey(package)];
        Assert.Equal(("gitlab.com/group/sub/real", MappingSource.Manual), (my.ProjectKey, my.Source));
        var their = (await fixture.MappingsAsync(theirs.Id))[NpmKey(package)];
        Assert.Equal(("github.com/sbom/answer", MappingSource.Sbom), (their.ProjectKey, their.Source));
    }

    [Fact]
    public async Task A_member_who_is_not_an_admin_cannot_map_by_hand_and_a_bad_URL_is_refused_with_the_field_named()
    {
        var package = ProjectsAppFixture.Unique("refused");
        var (organisation, ownerId) = await fixture.OrganisationWithSbomAsync(new TestComponent(NpmPurl(package)));
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var catalogue = scope.ServiceProvider.GetRequiredService<ProjectCatalogue>();

        var asMember = await catalogue.MapAsync(new OrgAccess(organisation, OrganisationRole.Member, ownerId, null, ApiTokenScopes.None), NpmKey(package), "https://github.com/a/b");
        var badUrl = await catalogue.MapAsync(new OrgAccess(organisation, OrganisationRole.Owner, ownerId, null, ApiTokenScopes.None), NpmKey(package), "https://github.com/only-owner");
        var notUsed = await catalogue.MapAsync(new OrgAccess(organisation, OrganisationRole.Owner, ownerId, null, ApiTokenScopes.None), "pkg:npm/not-in-any-sbom", "https://github.com/a/b");

        Assert.Contains("owner or admin", asMember, StringComparison.Ordinal);
        Assert.StartsWith("Repository:", badUrl, StringComparison.Ordinal);
        Assert.StartsWith("Package:", notUsed, StringComparison.Ordinal);
        Assert.Equal(0, await fixture.QueryAsync(db => db.ManualMappings.CountAsync(m => m.OrganisationId == organisation.Id)));
    }

    [Fact]
    public async Task A_cached_answer_is_not_asked_for_again_until_it_expires()
    {
        var package = ProjectsAppFixture.Unique("cached");
        fixture.Ecosystems.Add(Npm, package, "https://github.com/cached/one");
        var (first, _) = await fixture.OrganisationWithSbomAsync(new TestComponent(NpmPurl(package)));
        var (second, _) = await fixture.OrganisationWithSbomAsync(new TestComponent(NpmPurl(package)));

        await fixture.ResolveAsync(first.Id);
        var cachedRun = await fixture.ResolveAsync(second.Id);
        Assert.Equal(1, fixture.Ecosystems.RequestsFor(Npm, package));
        Assert.Equal((0, 1), (cachedRun.RegistryRequests, cachedRun.CacheHits));
        Assert.Equal("github.com/cached/one", (await fixture.MappingsAsync(second.Id))[NpmKey(package)].ProjectKey);

        var entry = await fixture.QueryAsync(db => db.PackageMetadataCache.AsNoTracking().SingleAsync(c => c.PackageKey == NpmKey(package)));
        Assert.InRange(entry.ExpiresAt - entry.FetchedAt, TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1), TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        await fixture.QueryAsync(db => db.PackageMetadataCache.Where(c => c.PackageKey == NpmKey(package)).ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        fixture.Ecosystems.Add(Npm, package, "https://github.com/cached/moved");

        var expiredRun = await fixture.ResolveAsync(first.Id);

        Assert.Equal(2, fixture.Ecosystems.RequestsFor(Npm, package));
        Assert.Equal(1, expiredRun.RegistryRequests);
        Assert.Equal("github.com/cached/moved", (await fixture.MappingsAsync(first.Id))[NpmKey(package)].ProjectKey);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_the_wait_and_succeeds()
    {
        var package = ProjectsAppFixture.Unique("throttled");
        fixture.Ecosystems.Add(Npm, package, "https://github.com/throttled/repo");
        fixture.Ecosystems.Throttle(Npm, package, times: 1, retryAfterSeconds: 1);
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(new TestComponent(NpmPurl(package)));

        await fixture.ResolveAsync(organisation.Id);

        var requests = fixture.Ecosystems.Requests.Where(r => r.Name == package).OrderBy(r => r.At).ToList();
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), $"retried after {(requests[1].At - requests[0].At).TotalMilliseconds:F0} ms, before the Retry-After of 1 s");
        Assert.Equal("github.com/throttled/repo", (await fixture.MappingsAsync(organisation.Id))[NpmKey(package)].ProjectKey);
    }

    [Fact]
    public async Task A_500_is_retried_and_one_that_persists_leaves_the_package_unresolved_and_uncached()
    {
        var flaky = ProjectsAppFixture.Unique("flaky");
        var down = ProjectsAppFixture.Unique("down");
        fixture.Ecosystems.Add(Npm, flaky, "https://github.com/flaky/repo");
        fixture.Ecosystems.Add(Npm, down, "https://github.com/down/repo");
        fixture.Ecosystems.Fail(Npm, flaky, times: 1);
        fixture.Ecosystems.Fail(Npm, down, times: 50);
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(new TestComponent(NpmPurl(flaky)), new TestComponent(NpmPurl(down)));

        await fixture.ResolveAsync(organisation.Id);

        Assert.Equal("github.com/flaky/repo", (await fixture.MappingsAsync(organisation.Id))[NpmKey(flaky)].ProjectKey);
        var unresolved = (await fixture.UnresolvedAsync(organisation.Id))[NpmKey(down)];
        Assert.Equal(UnresolvedReason.RegistryUnavailable, unresolved.Reason);
        Assert.Contains("500", unresolved.Detail, StringComparison.Ordinal);
        Assert.Equal(3, fixture.Ecosystems.RequestsFor(Npm, down));
        Assert.False(await fixture.QueryAsync(db => db.PackageMetadataCache.AnyAsync(c => c.PackageKey == NpmKey(down))));
    }

    [Fact]
    public async Task Packages_that_cannot_be_resolved_are_kept_with_the_reason()
    {
        var missing = ProjectsAppFixture.Unique("missing");
        var homepage = ProjectsAppFixture.Unique("homepage");
        var bare = ProjectsAppFixture.Unique("bare");
        fixture.Ecosystems.Add(Npm, homepage, "https://www.example.org/projects/homepage", homepage: "https://www.example.org/");
        fixture.Ecosystems.Add(Npm, bare, repositoryUrl: null, homepage: null);
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(
            new TestComponent(NpmPurl(missing)),
            new TestComponent(NpmPurl(homepage)),
            new TestComponent(NpmPurl(bare)),
            new TestComponent("pkg:generic/openssl@3.0.0"));

        var report = await fixture.ResolveAsync(organisation.Id);

        var unresolved = await fixture.UnresolvedAsync(organisation.Id);
        Assert.Equal(UnresolvedReason.RegistryNotFound, unresolved[NpmKey(missing)].Reason);
        Assert.Equal(UnresolvedReason.RegistryNotCodeHost, unresolved[NpmKey(homepage)].Reason);
        Assert.Contains("https://www.example.org/projects/homepage", unresolved[NpmKey(homepage)].Detail, StringComparison.Ordinal);
        Assert.Equal(UnresolvedReason.RegistryNoRepository, unresolved[NpmKey(bare)].Reason);
        Assert.Equal(UnresolvedReason.NoRepositoryInSbom, unresolved["pkg:generic/openssl"].Reason);
        Assert.Equal(4, report.Unresolved);
        Assert.Empty(await fixture.MappingsAsync(organisation.Id));

        var notFound = await fixture.QueryAsync(db => db.PackageMetadataCache.AsNoTracking().SingleAsync(c => c.PackageKey == NpmKey(missing)));
        Assert.Equal(PackageMetadataStatus.NotFound, notFound.Status);
        Assert.True(notFound.ExpiresAt - notFound.FetchedAt < TimeSpan.FromDays(7), "a 404 is kept for less time than an answer");
    }

    [Fact]
    public async Task A_second_run_changes_nothing()
    {
        var found = ProjectsAppFixture.Unique("again");
        var missing = ProjectsAppFixture.Unique("again-missing");
        fixture.Ecosystems.Add(Npm, found, "https://github.com/again/repo", fundingLinks: ["https://github.com/sponsors/again"]);
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(
            new TestComponent(NpmPurl(found)),
            new TestComponent(NpmPurl(missing)),
            new TestComponent("pkg:maven/org.example/lib@1.0", Vcs: "scm:git:git@github.com:example/lib.git"));

        var first = await fixture.ResolveAsync(organisation.Id);
        var mappingsBefore = await fixture.MappingsAsync(organisation.Id);
        var unresolvedBefore = await fixture.UnresolvedAsync(organisation.Id);
        var second = await fixture.ResolveAsync(organisation.Id);

        Assert.Equal(3, first.Added);
        Assert.False(second.ChangedAnything, $"second run: {second}");
        Assert.Equal(0, second.RegistryRequests);
        var mappingsAfter = await fixture.MappingsAsync(organisation.Id);
        Assert.Equal(mappingsBefore.Values.Select(m => (m.PackageKey, m.ProjectKey, m.Source, m.ResolvedAt)).Order(), mappingsAfter.Values.Select(m => (m.PackageKey, m.ProjectKey, m.Source, m.ResolvedAt)).Order());
        Assert.Equal(unresolvedBefore.Values.Select(u => (u.PackageKey, u.Reason, u.CheckedAt)).Order(), (await fixture.UnresolvedAsync(organisation.Id)).Values.Select(u => (u.PackageKey, u.Reason, u.CheckedAt)).Order());
        var package = await fixture.QueryAsync(db => db.Packages.AsNoTracking().SingleAsync(p => p.Key == NpmKey(found)));
        Assert.Equal(("https://github.com/sponsors/again", 12, 340), (package.FundingLinks, package.DependentPackagesCount, package.DependentReposCount));
    }

    [Fact]
    public async Task A_package_dropped_from_the_SBOM_loses_its_mapping_on_the_next_run()
    {
        var kept = ProjectsAppFixture.Unique("kept");
        var dropped = ProjectsAppFixture.Unique("dropped");
        var (organisation, ownerId) = await fixture.OrganisationWithSbomAsync(
            new TestComponent(NpmPurl(kept), Vcs: "https://github.com/kept/repo"),
            new TestComponent(NpmPurl(dropped), Vcs: "https://github.com/dropped/repo"));
        await fixture.ResolveAsync(organisation.Id);

        await fixture.UploadAsync(organisation, ownerId, "app", [new TestComponent(NpmPurl(kept), Vcs: "https://github.com/kept/repo")]);
        var report = await fixture.ResolveAsync(organisation.Id);

        Assert.Equal([NpmKey(kept)], (await fixture.MappingsAsync(organisation.Id)).Keys);
        Assert.Equal(1, report.Removed);
    }

    [Fact]
    public async Task Requests_stay_within_the_concurrency_bound_and_say_who_is_asking()
    {
        var names = Enumerable.Range(0, 40).Select(i => ProjectsAppFixture.Unique($"bound{i}")).ToList();
        foreach (var name in names)
            fixture.Ecosystems.Add(Npm, name, $"https://github.com/bound/{name}");
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(names.Select(n => new TestComponent(NpmPurl(n))).ToArray());
        fixture.Ecosystems.Latency = TimeSpan.FromMilliseconds(20);
        var reports = new List<ResolutionProgress>();
        try
        {
            await fixture.ResolveAsync(organisation.Id, new SynchronousProgress(reports));
        }
        finally
        {
            fixture.Ecosystems.Latency = TimeSpan.Zero;
        }

        Assert.InRange(fixture.Ecosystems.MaxInFlight, 2, 8);
        var request = fixture.Ecosystems.Requests.First(r => r.Name == names[0]);
        Assert.StartsWith("Sustain/", request.UserAgent, StringComparison.Ordinal);
        Assert.Contains("ops@sustain.example", request.UserAgent, StringComparison.Ordinal);
        Assert.Contains(reports, r => r.Total == 40 && r.Done == 40);
        Assert.Equal(40, (await fixture.MappingsAsync(organisation.Id)).Count);
    }

    private sealed class SynchronousProgress(List<ResolutionProgress> reports) : IProgress<ResolutionProgress>
    {
        public void Report(ResolutionProgress value)
        {
            lock (reports)
                reports.Add(value);
        }
    }
}
