using System.Net;
using Microsoft.EntityFrameworkCore;
using Sustain.Core.Maintainers;
using Sustain.Data.Maintainers;
using Sustain.Testing.Fakes.GitHub;
using static Sustain.Web.Tests.Maintainers.MaintainersApp;

namespace Sustain.Web.Tests.Maintainers;

/// <summary>Starting and proving a claim through GitHub: by the user's role, by a committed token, and every way it can fail.</summary>
public sealed class ClaimTests(MaintainersApp fixture) : IClassFixture<MaintainersApp>
{
    private FakeGitHub GitHub => fixture.GitHub;

    [Fact]
    public async Task A_user_with_the_admin_role_is_verified_at_once_and_becomes_the_admin_of_a_project_Sustain_did_not_know()
    {
        var user = fixture.NewGitHubUser();
        var (owner, name) = NewRepositoryName();
        GitHub.AddRepositoryWithRole(owner, name, user, GitHubPermission.Admin);
        using var browser = await fixture.SignInWithGitHubAsync(user);

        using var response = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = $"https://github.com/{owner.ToUpperInvariant()}/{name}.git" });
        var page = await FollowAsync(browser, response);

        var key = $"github.com/{owner}/{name}";
        Assert.Equal(ProjectUrl(owner, name) + "?done=claimed", LocationOf(response));
        Assert.Contains("verified", page.QuerySelector("[data-testid=notice]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("100.00%", page.QuerySelector($"[data-testid=maintainer-row][data-login='{user.Login}'] [data-testid=maintainer-share]")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("[data-testid=split-editor]"));
        var claim = await fixture.App.QueryAsync(db => db.MaintainerClaims.SingleAsync(c => c.ProjectKey == key));
        Assert.Equal((ClaimState.Verified, MaintainerRole.Admin, ClaimProof.Permission), (claim.State, claim.Role, claim.Proof));
        Assert.True(await fixture.App.QueryAsync(db => db.Projects.AnyAsync(p => p.Key == key && p.Owner == owner && p.Name == name)));
        var split = await fixture.App.QueryAsync(db => db.MaintainerSplitVersions.Include(v => v.Shares).SingleAsync(v => v.ProjectKey == key));
        Assert.Equal((1, claim.UserId, 10_000), (split.Number, split.Shares.Single().UserId, split.Shares.Single().BasisPoints));
        Assert.Equal(
            [MaintainerAuditAction.ClaimStarted, MaintainerAuditAction.VerifiedByPermission, MaintainerAuditAction.AdminAppointed, MaintainerAuditAction.SplitChanged],
            await AuditAsync(key));
        Assert.Equal(4, page.QuerySelectorAll("[data-testid=audit-entry]").Length);

        var permission = Assert.Single(GitHub.RequestsAbout(owner, name), r => r.Path.EndsWith("/permission", StringComparison.Ordinal));
        Assert.Same(user, GitHub.UserOfToken(permission.AccessToken));
        Assert.EndsWith($"/collaborators/{user.Login}/permission", permission.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_maintain_role_also_proves_a_claim_at_once()
    {
        var user = fixture.NewGitHubUser();
        var (owner, name) = NewRepositoryName();
        GitHub.AddRepositoryWithRole(owner, name, user, GitHubPermission.Maintain);
        using var browser = await fixture.SignInWithGitHubAsync(user);

        using var response = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = $"{owner}/{name}" });
        await FollowAsync(browser, response);

        Assert.Equal(ClaimState.Verified, await StateAsync(owner, name, user));
    }

    [Fact]
    public async Task A_user_with_the_write_role_is_given_a_token_and_verified_once_it_is_in_the_claim_file()
    {
        var user = fixture.NewGitHubUser();
        var (owner, name) = NewRepositoryName();
        var repository = GitHub.AddRepositoryWithRole(owner, name, user, GitHubPermission.Write);
        using var browser = await fixture.SignInWithGitHubAsync(user);

        using var claimed = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = $"github.com/{owner}/{name}" });
        var pending = await FollowAsync(browser, claimed);
        var token = pending.QuerySelector("[data-testid=verification-token]")!.TextContent.Trim();
        Assert.Matches("^sustain-claim-[0-9a-f]{32}$", token);
        Assert.Contains($"{user.Login}'s role on", pending.QuerySelector("[data-testid=last-check-failure]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("'write'", pending.QuerySelector("[data-testid=last-check-failure]")!.TextContent, StringComparison.Ordinal);

        using var tooEarly = await SubmitAsync(browser, ProjectUrl(owner, name), "check");
        Assert.Contains("Neither .sustain-claim nor funding.json", await RefusalAsync(tooEarly), StringComparison.Ordinal);
        Assert.Equal(ClaimState.Pending, await StateAsync(owner, name, user));

        repository.AddFile(".sustain-claim", $"someone-else-token\n{token}\n");
        using var check = await SubmitAsync(browser, ProjectUrl(owner, name), "check");
        var verified = await FollowAsync(browser, check);

        Assert.Equal("Verified", verified.QuerySelector($"[data-testid=maintainer-row][data-login='{user.Login}'] [data-testid=claim-state]")!.TextContent.Trim());
        var claim = await ClaimAsync(owner, name, user);
        Assert.Equal((ClaimState.Verified, ClaimProof.ClaimFile, MaintainerRole.Admin), (claim.State, claim.Proof, claim.Role));
        var audit = await AuditAsync($"github.com/{owner}/{name}");
        Assert.Equal(2, audit.Count(a => a == MaintainerAuditAction.CheckFailed));
        Assert.Contains(MaintainerAuditAction.VerifiedByToken, audit);
    }

    [Fact]
    public async Task A_token_under_sustainClaim_in_funding_json_proves_a_claim()
    {
        var user = fixture.NewGitHubUser();
        var (owner, name) = NewRepositoryName();
        var repository = GitHub.AddRepository(owner, name);
        using var browser = await fixture.SignInWithGitHubAsync(user);
        using var claimed = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = $"github.com/{owner}/{name}" });
        var token = (await FollowAsync(browser, claimed)).QuerySelector("[data-testid=verification-token]")!.TextContent.Trim();

        repository.AddFile("funding.json", $$"""{ "version": "v1.0.0", "sustainClaim": ["another", "{{token}}"] }""");
        using var check = await SubmitAsync(browser, ProjectUrl(owner, name), "check");
        await FollowAsync(browser, check);

        var claim = await ClaimAsync(owner, name, user);
        Assert.Equal((ClaimState.Verified, ClaimProof.FundingJson), (claim.State, claim.Proof));
    }

    [Fact]
    public async Task A_funding_json_that_is_not_json_is_named_as_the_reason_and_the_claim_stays_pending()
    {
        var user = fixture.NewGitHubUser();
        var (owner, name) = NewRepositoryName();
        GitHub.AddRepository(owner, name).AddFile("funding.json", "{ \"sustainClaim\": ");
        using var browser = await fixture.SignInWithGitHubAsync(user);
        using var claimed = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = $"github.com/{owner}/{name}" });
        await FollowAsync(browser, claimed);

        using var check = await SubmitAsync(browser, ProjectUrl(owner, name), "check");

        Assert.Contains("funding.json is not valid JSON", await RefusalAsync(check), StringComparison.Ordinal);
        Assert.Equal(ClaimState.Pending, await StateAsync(owner, name, user));
    }

    [Fact]
    public async Task GitHub_being_rate_limited_during_a_check_is_a_message_not_an_error_page()
    {
        var user = fixture.NewGitHubUser();
        var (owner, name) = NewRepositoryName();
        GitHub.AddRepository(owner, name);
        using var browser = await fixture.SignInWithGitHubAsync(user);
        using var claimed = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = $"github.com/{owner}/{name}" });
        await FollowAsync(browser, claimed);

        GitHub.FailNext(GitHubFailure.RateLimited(), times: 3, pathPrefix: $"/repos/{owner}/{name}");
        using var check = await SubmitAsync(browser, ProjectUrl(owner, name), "check");

        Assert.Contains("rate limit", await RefusalAsync(check), StringComparison.Ordinal);
        Assert.Equal(ClaimState.Pending, await StateAsync(owner, name, user));
    }

    [Theory]
    [InlineData("", "Enter the repository to claim")]
    [InlineData("gitlab.com/group/project", "is not on GitHub")]
    [InlineData("https://github.com/just-an-owner", "does not name a repository")]
    [InlineData("github.com/bad owner!/x", "not a valid GitHub repository name")]
    [InlineData("github.com/nobody-here/missing", "GitHub has no public repository nobody-here/missing")]
    public async Task A_repository_that_cannot_be_claimed_is_refused_with_the_reason_and_nothing_is_stored(string repository, string reason)
    {
        var user = fixture.NewGitHubUser();
        using var browser = await fixture.SignInWithGitHubAsync(user);

        using var response = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = repository });

        Assert.Contains(reason, await RefusalAsync(response), StringComparison.Ordinal);
        Assert.False(await fixture.App.QueryAsync(db => db.MaintainerClaims.AnyAsync(c => c.GitHubLogin == user.Login)));
    }

    [Fact]
    public async Task Claiming_the_same_project_twice_leads_to_the_first_claim()
    {
        var user = fixture.NewGitHubUser();
        var (owner, name) = NewRepositoryName();
        GitHub.AddRepository(owner, name);
        using var browser = await fixture.SignInWithGitHubAsync(user);
        var fields = new Dictionary<string, string> { ["Repository"] = $"github.com/{owner}/{name}" };
        using var first = await SubmitAsync(browser, "/maintainers/claim", "claim", fields);

        using var second = await SubmitAsync(browser, "/maintainers/claim", "claim", fields);

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(1, await fixture.App.QueryAsync(db => db.MaintainerClaims.CountAsync(c => c.GitHubLogin == user.Login)));
    }

    [Fact]
    public async Task The_home_page_lists_the_users_claims_with_their_state_and_next_step()
    {
        var user = fixture.NewGitHubUser();
        var (owner, name) = NewRepositoryName();
        GitHub.AddRepository(owner, name);
        using var browser = await fixture.SignInWithGitHubAsync(user);
        using var claimed = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = $"github.com/{owner}/{name}" });

        var home = await PageAsync(browser, "/maintainers");

        var row = Assert.Single(home.QuerySelectorAll("[data-testid=claim-row]"));
        Assert.Equal($"github.com/{owner}/{name}", row.GetAttribute("data-project"));
        Assert.Equal("Pending", row.QuerySelector("[data-testid=claim-state]")!.TextContent.Trim());
        Assert.Contains("Commit your verification token", row.QuerySelector("[data-testid=next-step]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_a_GitHub_login_is_told_to_link_GitHub_first()
    {
        var (_, browser, _) = await fixture.App.SignedInUserAsync();
        using (browser)
        {
            foreach (var url in new[] { "/maintainers", "/maintainers/claim" })
            {
                var page = await PageAsync(browser, url);
                var prompt = page.QuerySelector("[data-testid=link-github]");
                Assert.NotNull(prompt);
                Assert.Equal($"/account/login/github?returnUrl={Uri.EscapeDataString(url)}", prompt.QuerySelector("a")!.GetAttribute("href"));
                Assert.Null(page.QuerySelector("[data-testid=claim-form]"));
            }
        }
    }

    [Theory]
    [InlineData("/maintainers")]
    [InlineData("/maintainers/claim")]
    [InlineData("/maintainers/projects/github.com/a/b")]
    public async Task The_maintainer_pages_send_an_anonymous_visitor_to_sign_in(string url)
    {
        using var browser = fixture.App.CreateBrowser();

        using var response = await browser.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/maintainers/projects/github.com/nobody/unknown")]
    [InlineData("/maintainers/projects/github.com/only-owner")]
    [InlineData("/maintainers/projects/")]
    public async Task An_unknown_project_page_is_not_found(string url)
    {
        using var browser = await fixture.SignInWithGitHubAsync(fixture.NewGitHubUser());

        using var response = await browser.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private Task<MaintainerClaim> ClaimAsync(string owner, string name, FakeGitHubUser user) =>
        fixture.App.QueryAsync(db => db.MaintainerClaims.AsNoTracking().SingleAsync(c => c.ProjectKey == $"github.com/{owner}/{name}" && c.GitHubLogin == user.Login));

    private async Task<ClaimState> StateAsync(string owner, string name, FakeGitHubUser user) => (await ClaimAsync(owner, name, user)).State;

    private Task<List<MaintainerAuditAction>> AuditAsync(string key) =>
        fixture.App.QueryAsync(db => db.MaintainerAuditLog.Where(e => e.ProjectKey == key).OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => e.Action).ToListAsync());
}
