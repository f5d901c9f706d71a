using Octokit;
using Sustain.Testing.Fakes.GitHub;

namespace Sustain.Web.Tests.Identity;

/// <summary>
/// The fake GitHub read through Octokit, the client Sustain uses: if these shapes parse and mean the same
/// thing, later features (project enrichment, maintainer claims) can be tested against the fake.
/// </summary>
public sealed class FakeGitHubTests : IAsyncLifetime
{
    private FakeGitHub _github = default!;
    private FakeGitHubUser _maintainer = default!;
    private GitHubClient _client = default!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync();
        _maintainer = _github.AddUser("mona", name: "Mona Lisa", email: "mona@example.test");
        var repository = _github.AddRepository("octo-org", "widget", "Widgets for everyone")
            .Grant(_maintainer, GitHubPermission.Maintain)
            .AddFile("README.md", "# widget\n")
            .AddFile(".github/FUNDING.yml", "github: [mona]\n");
        repository.LicenseSpdxId = "MIT";
        repository.Topics.Add("widgets");
        repository.Stars = 42;
        _client = new GitHubClient(new Connection(new ProductHeaderValue("Sustain-tests"), _github.ApiBaseAddress))
        {
            Credentials = new Credentials(_github.CreateToken(_maintainer, "read:user")),
        };
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task Octokit_reads_the_authenticated_user()
    {
        var user = await _client.User.Current();

        Assert.Equal(("mona", "Mona Lisa", "mona@example.test"), (user.Login, user.Name, user.Email));
        Assert.Equal(_maintainer.Id, user.Id);
        Assert.Equal(AccountType.User, user.Type);
        Assert.False(user.SiteAdmin);
    }

    [Fact]
    public async Task Octokit_reads_a_repository_with_its_licence_topics_and_owner()
    {
        var repository = await _client.Repository.Get("octo-org", "widget");

        Assert.Equal("octo-org/widget", repository.FullName);
        Assert.Equal("Widgets for everyone", repository.Description);
        Assert.Equal("main", repository.DefaultBranch);
        Assert.Equal("MIT", repository.License.SpdxId);
        Assert.Equal(["widgets"], repository.Topics);
        Assert.Equal(42, repository.StargazersCount);
        Assert.Equal(AccountType.Organization, repository.Owner.Type);
        Assert.True(repository.Permissions.Maintain);
        Assert.False(repository.Permissions.Admin);
    }

    [Fact]
    public async Task A_collaborator_permission_reads_as_GitHub_collapses_it()
    {
        var outsider = _github.AddUser("outsider");

        var maintainer = await _client.Repository.Collaborator.ReviewPermission("octo-org", "widget", "mona");
        var stranger = await _client.Repository.Collaborator.ReviewPermission("octo-org", "widget", outsider.Login);

        Assert.Equal(("write", "maintain"), (maintainer.Permission, maintainer.RoleName));
        Assert.Equal("mona", maintainer.Collaborator.Login);
        Assert.True(maintainer.Collaborator.Permissions.Maintain);
        Assert.Equal(("read", "read"), (stranger.Permission, stranger.RoleName));
    }

    [Fact]
    public async Task Octokit_decodes_file_contents_and_lists_a_folder()
    {
        var funding = Assert.Single(await _client.Repository.Content.GetAllContents("octo-org", "widget", ".github/FUNDING.yml"));
        var root = await _client.Repository.Content.GetAllContents("octo-org", "widget");

        Assert.Equal("github: [mona]\n", funding.Content);
        Assert.Equal(ContentType.File, funding.Type.Value);
        Assert.Equal([(".github", ContentType.Dir), ("README.md", ContentType.File)], root.Select(c => (c.Name, c.Type.Value)));
    }

    [Fact]
    public async Task A_private_repository_is_not_found_without_a_permission_on_it()
    {
        var secret = _github.AddRepository("octo-org", "secret").Grant(_maintainer, GitHubPermission.Read);
        secret.Private = true;
        var stranger = new GitHubClient(new Connection(new ProductHeaderValue("Sustain-tests"), _github.ApiBaseAddress))
        {
            Credentials = new Credentials(_github.CreateToken(_github.AddUser("stranger"))),
        };

        await Assert.ThrowsAsync<NotFoundException>(() => stranger.Repository.Get("octo-org", "secret"));
        Assert.True((await _client.Repository.Get("octo-org", "secret")).Private);
    }

    [Fact]
    public async Task Each_call_spends_the_rate_limit_that_the_headers_report()
    {
        await _client.User.Current();
        var first = _client.GetLastApiInfo().RateLimit;
        await _client.User.Current();
        var second = _client.GetLastApiInfo().RateLimit;

        Assert.Equal(FakeGitHub.AuthenticatedRateLimit, first.Limit);
        Assert.Equal(first.Remaining - 1, second.Remaining);
        Assert.True(second.Reset > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Scheduled_failures_answer_rate_limits_and_outages_then_stop()
    {
        _github.FailNext(GitHubFailure.RateLimited(), pathPrefix: "/repos/");
        _github.FailNext(GitHubFailure.ServerError(503), pathPrefix: "/repos/");

        var spent = await Assert.ThrowsAsync<RateLimitExceededException>(() => _client.Repository.Get("octo-org", "widget"));
        var outage = await Assert.ThrowsAnyAsync<ApiException>(() => _client.Repository.Get("octo-org", "widget"));
        var recovered = await _client.Repository.Get("octo-org", "widget");

        Assert.Equal(0, spent.Remaining);
        Assert.Equal(503, (int)outage.StatusCode);
        Assert.Equal("widget", recovered.Name);
        Assert.Equal([403, 503, 200], _github.RequestsTo("/repos/octo-org/widget").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task A_secondary_rate_limit_answers_429_with_retry_after_only_where_scheduled()
    {
        _github.FailNext(GitHubFailure.SecondaryRateLimited(TimeSpan.FromSeconds(3)), times: 2, pathPrefix: "/repos/");
        using var http = new HttpClient { BaseAddress = _github.ApiBaseAddress };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Sustain-tests");

        using var user = await http.GetAsync(new Uri("user", UriKind.Relative));
        using var first = await http.GetAsync(new Uri("repos/octo-org/widget", UriKind.Relative));
        using var second = await http.GetAsync(new Uri("repos/octo-org/widget", UriKind.Relative));
        using var third = await http.GetAsync(new Uri("repos/octo-org/widget", UriKind.Relative));

        Assert.Equal(401, (int)user.StatusCode);
        Assert.Equal((429, TimeSpan.FromSeconds(3)), ((int)first.StatusCode, first.Headers.RetryAfter?.Delta));
        Assert.Equal(429, (int)second.StatusCode);
        Assert.Equal(200, (int)third.StatusCode);
        Assert.Contains("secondary rate limit", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
