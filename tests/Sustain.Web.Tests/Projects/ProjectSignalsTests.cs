using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core.Projects;
using Sustain.Data.Jobs;
using Sustain.Data.Organisations;
using Sustain.Data.Projects;
using Sustain.Testing.Fakes.GitHub;
using Sustain.Web.Organisations;
using Sustain.Web.Projects;

namespace Sustain.Web.Tests.Projects;

/// <summary>Resolution and enrichment as jobs, and the signals read from the fake GitHub through Octokit.</summary>
public sealed class ProjectSignalsTests(ProjectsAppFixture fixture) : IClassFixture<ProjectsAppFixture>
{
    private FakeGitHub GitHub => fixture.GitHub!;

    [Fact]
    public async Task An_upload_enqueues_one_resolution_and_the_same_upload_again_enqueues_none()
    {
        var (organisation, owner) = await fixture.OrganisationWithSbomAsync(new TestComponent("pkg:npm/jobbed@1.0.0", Vcs: "https://github.com/jobbed/jobbed"));
        await fixture.UploadAsync(organisation, owner, "app", [new TestComponent("pkg:npm/jobbed@1.0.0", Vcs: "https://github.com/jobbed/jobbed")]);

        var jobs = await fixture.JobsAsync(ProjectJobs.Resolve, organisation.Id);

        var job = Assert.Single(jobs);
        Assert.Contains(":upload:", job.IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal(JobState.Queued, job.State);
    }

    [Fact]
    public async Task The_resolution_job_resolves_reports_what_it_did_and_asks_once_for_enrichment()
    {
        var owner = ProjectsAppFixture.Unique("resolved");
        GitHub.AddRepository(owner, "lib");
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(new TestComponent($"pkg:npm/{owner}@1.0.0", Vcs: $"https://github.com/{owner}/lib"));

        await fixture.RunDueJobsAsync();

        var resolve = Assert.Single(await fixture.JobsAsync(ProjectJobs.Resolve, organisation.Id));
        Assert.Equal(JobState.Succeeded, resolve.State);
        Assert.StartsWith("Resolved 1 of 1 packages", resolve.ProgressMessage, StringComparison.Ordinal);
        Assert.Contains((await fixture.MappingsAsync(organisation.Id)).Values, m => m.ProjectKey == $"github.com/{owner}/lib");
        var enrich = Assert.Single(await fixture.JobsAsync(ProjectJobs.Enrich, organisation.Id));
        Assert.Equal(JobState.Succeeded, enrich.State);
        Assert.Contains("1 from GitHub", enrich.ProgressMessage, StringComparison.Ordinal);

        // Run again (a worker that died before recording success): the same enrichment key, so no second job.
        await using (var scope = fixture.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ProjectJobs>().EnrichAfterAsync(organisation.Id, resolve.Id);
        Assert.Single(await fixture.JobsAsync(ProjectJobs.Enrich, organisation.Id));
    }

    [Fact]
    public async Task A_running_resolution_shows_how_many_packages_it_resolves_and_how_far_it_is()
    {
        var names = Enumerable.Range(0, 3).Select(i => ProjectsAppFixture.Unique($"slow{i}")).ToList();
        foreach (var name in names)
            fixture.Ecosystems.Add(Sustain.Web.Tests.Fakes.FakeEcosystems.Npm, name, $"https://github.com/{name}/{name}");
        // One package answers "slow down" first, so the run sits in its asking stage long enough to be seen.
        fixture.Ecosystems.Throttle(Sustain.Web.Tests.Fakes.FakeEcosystems.Npm, names[0], times: 1, retryAfterSeconds: 2);
        var (organisation, _) = await fixture.OrganisationWithSbomAsync([.. names.Select(n => new TestComponent($"pkg:npm/{n}@1.0.0"))]);

        var running = fixture.RunDueJobsAsync();
        string? seen = null;
        await EventuallyAsync(async () =>
        {
            seen = (await fixture.JobsAsync(ProjectJobs.Resolve, organisation.Id)).Single().ProgressMessage;
            return seen?.StartsWith("Resolving 3 packages", StringComparison.Ordinal) == true;
        });
        await running;

        Assert.Equal("Resolving 3 packages", seen);
        var job = (await fixture.JobsAsync(ProjectJobs.Resolve, organisation.Id)).Single();
        Assert.StartsWith("Resolved 3 of 3 packages", job.ProgressMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrichment_reads_facts_funding_maintainers_and_the_latest_release()
    {
        var owner = ProjectsAppFixture.Unique("facts");
        var now = DateTimeOffset.UtcNow;
        var repository = GitHub.AddRepository(owner, "widget")
            .AddFile(".github/FUNDING.yml", "github: [alice]\nopen_collective: widget\n")
            .AddCommit("alice", now.AddDays(-3))
            .AddCommit("bob", now.AddDays(-40))
            .AddCommit("alice", now.AddDays(-90))
            .AddCommit("carol", now.AddDays(-500))
            .AddCommit("dependabot[bot]", now.AddDays(-5))
            .AddRelease("v2.0.0", "dave", now.AddDays(-20))
            .AddRelease("v1.0.0", "carol", now.AddDays(-600));
        repository.Stars = 4321;
        repository.LicenseSpdxId = "Apache-2.0";
        repository.DefaultBranch = "trunk";

        var signals = await EnrichedAsync(owner, "widget");

        Assert.Equal(SignalsStatus.Fetched, signals.Status);
        Assert.Equal(4321, signals.Stars);
        Assert.False(signals.Archived);
        Assert.Equal(OwnerKind.Organisation, signals.OwnerKind);
        Assert.Equal("Apache-2.0", signals.LicenseSpdxId);
        Assert.Equal("trunk", signals.DefaultBranch);
        Assert.Equal(3, signals.Maintainers);
        Assert.Equal("alice,bob,dave", signals.MaintainerLogins);
        Assert.Equal(now.AddDays(-20).ToUnixTimeSeconds(), signals.LatestReleaseAt!.Value.ToUnixTimeSeconds());
        var channels = StoredFundingChannel.Parse(signals.FundingChannelsJson);
        Assert.Equal(["GitHubSponsors", "OpenCollective"], channels.Select(c => c.Platform));
        Assert.Null(signals.FundingWarning);
    }

    [Fact]
    public async Task A_lone_maintainers_archived_repository_without_funding_carries_those_risks_in_words()
    {
        var owner = ProjectsAppFixture.Unique("lone");
        var person = GitHub.AddUser(owner);
        var repository = GitHub.AddRepository(person.Login, "tool").AddCommit(person.Login, DateTimeOffset.UtcNow.AddDays(-10)).AddRelease("v0.1", person.Login, DateTimeOffset.UtcNow.AddYears(-3));
        repository.Archived = true;
        repository.AddFile("funding.json", "{ this is not json");

        var (organisation, ownerId) = await fixture.OrganisationWithSbomAsync(new TestComponent($"pkg:npm/{owner}@1.0.0", Vcs: $"https://github.com/{owner}/tool"));
        await fixture.RunDueJobsAsync();
        var detail = await DetailAsync(organisation, ownerId, $"github.com/{owner}/tool");

        Assert.NotNull(detail);
        Assert.Equal(OwnerKind.User, detail.Signals!.OwnerKind);
        Assert.Equal(1, detail.Signals.Maintainers);
        Assert.NotNull(detail.Signals.FundingWarning);
        Assert.Equal([RiskKind.Archived, RiskKind.SingleMaintainer, RiskKind.NoRecentRelease, RiskKind.NoFundingChannel], detail.Risk.Reasons.Select(r => r.Kind));
        Assert.All(detail.Risk.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Text)));
        var use = Assert.Single(detail.Uses);
        Assert.True(use.Direct);
    }

    [Fact]
    public async Task A_project_not_on_GitHub_keeps_what_the_registry_said_and_GitHub_is_not_asked()
    {
        var name = ProjectsAppFixture.Unique("lab");
        var before = GitHub.Requests.Count(r => r.Path.Contains(name, StringComparison.Ordinal));

        var signals = await EnrichedAsync(name, "thing", host: "gitlab.com");

        Assert.Equal(SignalsStatus.NotOnGitHub, signals.Status);
        Assert.Null(signals.Maintainers);
        Assert.Null(signals.FundingChannelsJson);
        Assert.Equal(before, GitHub.Requests.Count(r => r.Path.Contains(name, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_repository_GitHub_does_not_have_is_recorded_as_gone()
    {
        var owner = ProjectsAppFixture.Unique("gone");

        var signals = await EnrichedAsync(owner, "vanished");

        Assert.Equal(SignalsStatus.RepositoryNotFound, signals.Status);
        Assert.Contains("no such repository", signals.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fresh_signals_are_not_read_again_until_they_expire()
    {
        var owner = ProjectsAppFixture.Unique("cached");
        GitHub.AddRepository(owner, "lib");
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(new TestComponent($"pkg:npm/{owner}@1.0.0", Vcs: $"https://github.com/{owner}/lib"));
        await fixture.RunDueJobsAsync();
        var path = $"/repos/{owner}/lib";
        Assert.Single(GitHub.RequestsTo(path));

        await EnqueueEnrichmentAsync(organisation.Id);
        await fixture.RunDueJobsAsync();
        Assert.Single(GitHub.RequestsTo(path));

        await fixture.QueryAsync(db => db.ProjectSignals.Where(s => s.ProjectKey == $"github.com/{owner}/lib").ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        await EnqueueEnrichmentAsync(organisation.Id);
        await fixture.RunDueJobsAsync();
        Assert.Equal(2, GitHub.RequestsTo(path).Count);
    }

    [Fact]
    public async Task A_spent_rate_limit_pauses_until_the_reset_and_the_job_says_it_is_waiting()
    {
        var owner = ProjectsAppFixture.Unique("limited");
        GitHub.AddRepository(owner, "lib").AddCommit("alice", DateTimeOffset.UtcNow.AddDays(-1));
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(new TestComponent($"pkg:npm/{owner}@1.0.0", Vcs: $"https://github.com/{owner}/lib"));
        GitHub.FailNext(GitHubFailure.RateLimited(TimeSpan.FromSeconds(3)), pathPrefix: $"/repos/{owner}/lib");

        var watch = Stopwatch.StartNew();
        var running = fixture.RunDueJobsAsync();
        var sawWaiting = await EventuallyAsync(async () =>
            (await fixture.JobsAsync(ProjectJobs.Enrich, organisation.Id)).Any(j => j.ProgressMessage?.Contains("rate limit", StringComparison.Ordinal) == true));
        await running;

        Assert.True(sawWaiting, "the enrichment job never said it was waiting for the rate limit");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2), $"finished in {watch.Elapsed}, before the reset");
        var refused = GitHub.RequestsTo($"/repos/{owner}/lib");
        Assert.Equal([403, 200], refused.Select(r => r.StatusCode));
        Assert.Equal(SignalsStatus.Fetched, (await SignalsAsync($"github.com/{owner}/lib")).Status);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(403)]
    public async Task A_secondary_rate_limit_is_waited_out_for_its_Retry_After(int status)
    {
        var owner = ProjectsAppFixture.Unique("secondary");
        GitHub.AddRepository(owner, "lib");
        GitHub.FailNext(status == 429 ? GitHubFailure.SecondaryRateLimited(TimeSpan.FromSeconds(1)) : GitHubFailure.SecondaryRateLimitedForbidden(TimeSpan.FromSeconds(1)), pathPrefix: $"/repos/{owner}/lib");

        var signals = await EnrichedAsync(owner, "lib");

        Assert.Equal(SignalsStatus.Fetched, signals.Status);
        var requests = GitHub.RequestsTo($"/repos/{owner}/lib");
        Assert.Equal([status, 200], requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff()
    {
        var owner = ProjectsAppFixture.Unique("flaky");
        GitHub.AddRepository(owner, "lib");
        GitHub.FailNext(GitHubFailure.ServerError(502), times: 2, pathPrefix: $"/repos/{owner}/lib");

        var signals = await EnrichedAsync(owner, "lib");

        Assert.Equal(SignalsStatus.Fetched, signals.Status);
        Assert.Equal([502, 502, 200], GitHub.RequestsTo($"/repos/{owner}/lib").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task A_company_organisations_project_is_company_owned_and_not_blamed_for_lacking_funding()
    {
        GitHub.AddRepository("megacorp-oss", "sdk").AddCommit("a", DateTimeOffset.UtcNow.AddDays(-1)).AddCommit("b", DateTimeOffset.UtcNow.AddDays(-2)).AddRelease("v1", "a", DateTimeOffset.UtcNow.AddDays(-3));
        var (organisation, ownerId) = await fixture.OrganisationWithSbomAsync(new TestComponent("pkg:npm/megacorp-sdk@1.0.0", Vcs: "https://github.com/megacorp-oss/sdk"));
        await fixture.RunDueJobsAsync();

        var detail = await DetailAsync(organisation, ownerId, "github.com/megacorp-oss/sdk");

        Assert.True(detail!.CompanyOwned);
        Assert.DoesNotContain(detail.Risk.Reasons, r => r.Kind == RiskKind.NoFundingChannel);
    }

    [Fact]
    public async Task Projects_the_organisation_does_not_use_have_no_detail()
    {
        var owner = ProjectsAppFixture.Unique("other");
        GitHub.AddRepository(owner, "lib");
        await EnrichedAsync(owner, "lib");
        var (stranger, strangerOwner) = await fixture.OrganisationWithSbomAsync(new TestComponent("pkg:npm/unrelated@1.0.0", Vcs: "https://github.com/unrelated/unrelated"));

        Assert.Null(await DetailAsync(stranger, strangerOwner, $"github.com/{owner}/lib"));
    }

    /// <summary>An organisation using <c>host/owner/name</c>, resolved and enriched through the jobs; the project's signals.</summary>
    private async Task<ProjectSignals> EnrichedAsync(string owner, string name, string host = "github.com")
    {
        await fixture.OrganisationWithSbomAsync(new TestComponent($"pkg:npm/{owner}-{name}@1.0.0", Vcs: $"https://{host}/{owner}/{name}"));
        await fixture.RunDueJobsAsync();
        return await SignalsAsync($"{host}/{owner}/{name}".ToLowerInvariant());
    }

    private Task<ProjectSignals> SignalsAsync(string key) => fixture.QueryAsync(db => db.ProjectSignals.AsNoTracking().SingleAsync(s => s.ProjectKey == key));

    private async Task EnqueueEnrichmentAsync(Guid organisationId)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ProjectJobs>().EnrichAfterAsync(organisationId, Guid.NewGuid());
    }

    private async Task<ProjectDetail?> DetailAsync(Organisation organisation, string ownerId, string key)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var access = new OrgAccess(organisation, OrganisationRole.Owner, ownerId, null, ApiTokenScopes.None);
        return await scope.ServiceProvider.GetRequiredService<ProjectInsights>().DetailAsync(access, key);
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return true;
            await Task.Delay(100);
        }

        return false;
    }
}
