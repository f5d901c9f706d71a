using Microsoft.Extensions.DependencyInjection;
using Sustain.Core;
using Sustain.Core.Allocation;
using Sustain.Data.Organisations;
using Sustain.Testing.Fakes.GitHub;
using Sustain.Web.Allocations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Allocations;

/// <summary>An app whose GitHub is the fake, for reading members' merged pull requests.</summary>
public sealed class ContributionAppFactory : IAsyncLifetime
{
    public FakeGitHub GitHub { get; private set; } = default!;

    public SustainAppFactory App { get; } = new();

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHub.StartAsync();
        foreach (var (key, value) in GitHub.SustainSettings)
            App.Settings[key] = value;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await GitHub.DisposeAsync();
    }
}

/// <summary>Contribution targets: hours from the allocation's weights, and progress from members' merged pull requests on GitHub.</summary>
public sealed class ContributionProgressTests(ContributionAppFactory fixture) : IClassFixture<ContributionAppFactory>
{
    private SustainAppFactory App => fixture.App;

    private FakeGitHub GitHub => fixture.GitHub;

    [Fact]
    public async Task Counts_the_pull_requests_members_merged_in_the_last_year_per_repository()
    {
        var scenario = await AllocationScenario.CreateAsync(App);
        var login = "dev-" + scenario.Id;
        await scenario.MemberAsync(App, OrganisationRole.Member, login);
        var member = GitHub.AddUser(login);
        var stranger = GitHub.AddUser("stranger-" + scenario.Id);
        var a = GitHub.AddRepository("alpha-" + scenario.Id, "a-lib");
        var c = GitHub.AddRepository("gamma-" + scenario.Id, "c-lib");
        var now = DateTimeOffset.UtcNow;
        GitHub.AddPullRequest(a, member, now.AddDays(-10));
        GitHub.AddPullRequest(a, member, now.AddDays(-200));
        GitHub.AddPullRequest(c, member, now.AddDays(-30));
        GitHub.AddPullRequest(a, member, now.AddDays(-400));
        GitHub.AddPullRequest(a, member, mergedAt: null);
        GitHub.AddPullRequest(c, stranger, now.AddDays(-5));

        var progress = await ReaderAsync().ReadAsync(scenario.Organisation.Id);

        Assert.Null(progress.Error);
        Assert.Equal([login], progress.Logins);
        Assert.Equal(1, progress.MembersWithoutLogin);
        Assert.Equal(2, progress.MergedPullRequests[scenario.ProjectA]);
        Assert.Equal(1, progress.MergedPullRequests[scenario.ProjectC]);
        Assert.False(progress.MergedPullRequests.ContainsKey(scenario.ProjectB));
        var search = Assert.Single(GitHub.RequestsTo("/search/issues"), r => r.QueryValue("q")!.Contains(login, StringComparison.Ordinal));
        Assert.Contains($"author:{login}", search.QueryValue("q"), StringComparison.Ordinal);
        Assert.Contains("is:merged", search.QueryValue("q"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_look_within_half_an_hour_is_served_without_asking_github()
    {
        var scenario = await AllocationScenario.CreateAsync(App);
        var login = "cached-" + scenario.Id;
        await scenario.MemberAsync(App, OrganisationRole.Member, login);
        GitHub.AddUser(login);
        var reader = ReaderAsync();

        await reader.ReadAsync(scenario.Organisation.Id);
        var asked = GitHub.Requests.Count;
        var again = await reader.ReadAsync(scenario.Organisation.Id);

        Assert.Null(again.Error);
        Assert.Equal(asked, GitHub.Requests.Count);
    }

    [Fact]
    public async Task A_github_failure_becomes_a_message_and_is_not_cached()
    {
        var scenario = await AllocationScenario.CreateAsync(App);
        var login = "failing-" + scenario.Id;
        await scenario.MemberAsync(App, OrganisationRole.Member, login);
        GitHub.AddUser(login);
        GitHub.FailNext(GitHubFailure.ServerError(502), times: 1, pathPrefix: "/search/");
        var reader = ReaderAsync();

        var failed = await reader.ReadAsync(scenario.Organisation.Id);
        var recovered = await reader.ReadAsync(scenario.Organisation.Id);

        Assert.Equal("GitHub answered 502: Server Error", failed.Error);
        Assert.Empty(failed.MergedPullRequests);
        Assert.Null(recovered.Error);
    }

    [Fact]
    public async Task Without_member_logins_github_is_not_asked()
    {
        var scenario = await AllocationScenario.CreateAsync(App);
        var before = GitHub.RequestsTo("/search/issues").Count;

        var progress = await ReaderAsync().ReadAsync(scenario.Organisation.Id);

        Assert.Empty(progress.Logins);
        Assert.Null(progress.Error);
        Assert.Equal(before, GitHub.RequestsTo("/search/issues").Count);
    }

    [Fact]
    public void Targets_split_the_engineering_hours_like_the_money()
    {
        var settings = PolicySettings.Default with { EngineeringSharePercent = 5, HoursPerDeveloperYear = 1800 };
        var usd = Currency.USD;
        var allocation = new Allocation(new Money(1000, usd), [Share("github.com/a/a", 750), Share("github.com/b/b", 250), Share("github.com/c/c", 0, ShareStatus.Excluded)], new Money(0, usd), null);

        var total = ContributionTargets.TotalHours(10, settings);
        var targets = ContributionTargets.For(allocation, total);

        Assert.Equal(900, total);
        Assert.Equal([("github.com/a/a", 675.0), ("github.com/b/b", 225.0)], targets.Select(t => (t.ProjectKey, t.Hours)));

        static AllocationShare Share(string key, long minor, ShareStatus status = ShareStatus.Funded) => new(key, new Money(minor, Currency.USD), status, 0, [], [], null, []);
    }

    [Theory]
    [InlineData("https://api.github.com/repos/Owner/Repo/issues/12", "github.com/owner/repo")]
    [InlineData("http://127.0.0.1:5000/repos/a/b/issues/1", "github.com/a/b")]
    [InlineData("https://api.github.com/search/issues", null)]
    [InlineData(null, null)]
    public void Reads_the_repository_from_an_issue_address(string? url, string? project) =>
        Assert.Equal(project, ContributionProgressReader.RepositoryOf(url));

    private ContributionProgressReader ReaderAsync() => App.Services.GetRequiredService<ContributionProgressReader>();
}
