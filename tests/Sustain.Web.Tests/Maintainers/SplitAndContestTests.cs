using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core.Maintainers;
using Sustain.Data.Maintainers;
using Sustain.Testing.Fakes.GitHub;
using Sustain.Web.Maintainers;
using static Sustain.Web.Tests.Maintainers.MaintainersApp;

namespace Sustain.Web.Tests.Maintainers;

/// <summary>Several maintainers on one project: joining, the split and its versions, invitations, contests and the operator's ruling.</summary>
public sealed class SplitAndContestTests(MaintainersApp fixture) : IClassFixture<MaintainersApp>
{
    private FakeGitHub GitHub => fixture.GitHub;

    [Fact]
    public async Task A_later_maintainer_joins_with_no_share_and_an_admins_new_split_applies_only_to_money_arriving_after_it()
    {
        var project = await ProjectWithTwoMaintainersAsync();
        var before = await SplitForAsync(project.Key, DateTimeOffset.UtcNow);
        Assert.Equal([(project.Admin.Login, 10_000)], Shares(before));

        using var response = await SubmitSplitAsync(project, ("60", "40"));
        var page = await FollowAsync(project.AdminBrowser, response);

        Assert.Contains("applies to money that arrives from now on", page.QuerySelector("[data-testid=notice]")!.TextContent, StringComparison.Ordinal);
        var after = await SplitForAsync(project.Key, DateTimeOffset.UtcNow);
        Assert.Equal(2, after!.Number);
        Assert.Equal([(project.Admin.Login, 6_000), (project.Second.Login, 4_000)], Shares(after));
        Assert.Equal(1, (await SplitForAsync(project.Key, after.EffectiveFrom.AddTicks(-1)))!.Number);
        Assert.Null(await SplitForAsync(project.Key, before!.EffectiveFrom.AddTicks(-1)));
        Assert.Equal("40.00%", page.QuerySelector($"[data-testid=maintainer-row][data-login='{project.Second.Login}'] [data-testid=maintainer-share]")!.TextContent.Trim());
        Assert.Equal(2, page.QuerySelectorAll("[data-testid=split-version]").Length);
        Assert.Contains(page.QuerySelectorAll("[data-testid=audit-entry]"), e => e.GetAttribute("data-action") == nameof(MaintainerAuditAction.SplitChanged) && e.TextContent.Contains("60.00%", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("50", "45", "add up to 95.00% (9,500 basis points)")]
    [InlineData("110", "-10", "share is negative (-10.00%)")]
    [InlineData("abc", "100", "'abc' is not a percentage")]
    [InlineData("33.333", "66.667", "more than two decimals")]
    [InlineData("100", "", "is empty")]
    public async Task An_invalid_split_is_refused_with_a_clear_message_and_nothing_is_saved(string first, string second, string message)
    {
        var project = await ProjectWithTwoMaintainersAsync();

        using var response = await SubmitSplitAsync(project, (first, second));

        Assert.Contains(message, await RefusalAsync(response), StringComparison.Ordinal);
        Assert.Equal(1, (await SplitForAsync(project.Key, DateTimeOffset.UtcNow))!.Number);
    }

    [Fact]
    public async Task A_share_for_someone_who_is_not_a_maintainer_is_refused()
    {
        var project = await ProjectWithTwoMaintainersAsync();
        var outsider = await fixture.App.CreateUserAsync();

        using var response = await SubmitAsync(project.AdminBrowser, project.Url, "split", new Dictionary<string, string>
        {
            ["Split[0].UserId"] = project.AdminUserId,
            ["Split[0].Percent"] = "50",
            ["Split[1].UserId"] = outsider.Id,
            ["Split[1].Percent"] = "50",
        });

        Assert.Contains($"'{outsider.Id}' is not a verified maintainer of this project", await RefusalAsync(response), StringComparison.Ordinal);
        Assert.Equal(1, (await SplitForAsync(project.Key, DateTimeOffset.UtcNow))!.Number);
    }

    [Fact]
    public async Task A_maintainer_who_is_not_an_admin_has_no_split_editor_and_cannot_set_a_split()
    {
        var project = await ProjectWithTwoMaintainersAsync();

        var page = await PageAsync(project.SecondBrowser, project.Url);
        var (saved, errors) = await SplitsSetAsync(project.Second, project.Key, [new SplitShare(project.AdminUserId, 0), new SplitShare(project.SecondUserId, 10_000)]);

        Assert.Null(page.QuerySelector("[data-testid=split-editor]"));
        Assert.False(saved);
        Assert.Contains("Only an admin of this project", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_of_one_project_cannot_change_another_projects_split()
    {
        var mine = await ProjectWithTwoMaintainersAsync();
        var theirs = await ProjectWithTwoMaintainersAsync();
        var ownForm = await PageAsync(mine.AdminBrowser, mine.Url);
        var antiforgery = ownForm.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "split",
            ["__RequestVerificationToken"] = antiforgery,
            ["Split[0].UserId"] = mine.AdminUserId,
            ["Split[0].Percent"] = "100",
        });
        using var posted = await mine.AdminBrowser.PostAsync(new Uri(theirs.Url, UriKind.Relative), content);
        var (saved, errors) = await SplitsSetAsync(mine.Admin, theirs.Key, [new SplitShare(theirs.AdminUserId, 10_000)]);

        Assert.True(posted.StatusCode is HttpStatusCode.BadRequest, $"Expected 400, got {(int)posted.StatusCode}");
        Assert.False(saved);
        Assert.Contains("Only an admin of this project", Assert.Single(errors), StringComparison.Ordinal);
        Assert.Equal(1, (await SplitForAsync(theirs.Key, DateTimeOffset.UtcNow))!.Number);
        var outsiderView = await PageAsync(mine.AdminBrowser, theirs.Url);
        Assert.Null(outsiderView.QuerySelector("[data-testid=split-editor]"));
        Assert.Null(outsiderView.QuerySelector("[data-testid=audit-log]"));
        Assert.Null(outsiderView.QuerySelector("[data-testid=maintainer-share]"));
        Assert.NotNull(outsiderView.QuerySelector("[data-testid=not-a-maintainer]"));
    }

    [Fact]
    public async Task An_invited_login_accepts_on_their_home_page_and_joins_as_a_maintainer()
    {
        var project = await ProjectWithOneAdminAsync();
        var invitee = fixture.NewGitHubUser();

        using var invited = await SubmitAsync(project.AdminBrowser, project.Url, "invite", new Dictionary<string, string> { ["Login"] = "@" + invitee.Login.ToUpperInvariant() });
        await FollowAsync(project.AdminBrowser, invited);
        using var browser = await fixture.SignInWithGitHubAsync(invitee);
        var home = await PageAsync(browser, "/maintainers");
        var invitation = Assert.Single(home.QuerySelectorAll("[data-testid=invitation]"));
        var formName = invitation.QuerySelector("input[name=_handler]")!.GetAttribute("value")!;
        using var accepted = await SubmitAsync(browser, "/maintainers", formName);
        await FollowAsync(browser, accepted);

        var claim = await fixture.App.QueryAsync(db => db.MaintainerClaims.SingleAsync(c => c.ProjectKey == project.Key && c.GitHubLogin == invitee.Login));
        Assert.Equal((ClaimState.Verified, ClaimProof.Invitation, MaintainerRole.Maintainer), (claim.State, claim.Proof, claim.Role));
        Assert.Empty((await PageAsync(browser, "/maintainers")).QuerySelectorAll("[data-testid=invitation]"));
        Assert.Contains(MaintainerAuditAction.MaintainerInvited, await AuditAsync(project.Key));
        Assert.Contains(MaintainerAuditAction.InvitationAccepted, await AuditAsync(project.Key));
    }

    [Theory]
    [InlineData("not a login!", "is not a GitHub login")]
    [InlineData("-leading-hyphen", "is not a GitHub login")]
    public async Task An_invitation_to_something_that_is_not_a_GitHub_login_is_refused(string login, string message)
    {
        var project = await ProjectWithOneAdminAsync();

        using var response = await SubmitAsync(project.AdminBrowser, project.Url, "invite", new Dictionary<string, string> { ["Login"] = login });

        Assert.Contains(message, await RefusalAsync(response), StringComparison.Ordinal);
        Assert.False(await fixture.App.QueryAsync(db => db.MaintainerInvitations.AnyAsync(i => i.ProjectKey == project.Key)));
    }

    [Fact]
    public async Task A_contest_goes_to_operators_only_and_a_rejection_removes_the_claimant_and_passes_on_their_share_and_role()
    {
        var project = await ProjectWithTwoMaintainersAsync();
        var adminClaim = await ClaimOfAsync(project.Key, project.Admin);

        using var contested = await SubmitAsync(project.SecondBrowser, project.Url, $"contest-{adminClaim.Id}", new Dictionary<string, string> { ["Reason"] = "They left the project in 2021 and hold no role on the repository." });
        await FollowAsync(project.SecondBrowser, contested);
        Assert.Equal(ClaimState.Contested, (await ClaimOfAsync(project.Key, project.Admin)).State);

        using (var nonOperator = await fixture.SignInWithGitHubAsync(fixture.NewGitHubUser()))
        using (var queue = await nonOperator.GetAsync(new Uri("/ops/claims", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, queue.StatusCode);
            Assert.DoesNotContain(project.Key, await queue.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var anonymous = fixture.App.CreateBrowser();
        using (var queue = await anonymous.GetAsync(new Uri("/ops/claims", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.NotFound, queue.StatusCode);

        using (var operatorBrowser = await fixture.OperatorBrowserAsync())
        {
            var queuePage = await PageAsync(operatorBrowser, "/ops/claims");
            var item = queuePage.QuerySelectorAll("[data-testid=contested-claim]").Single(e => e.GetAttribute("data-claim-id") == adminClaim.Id.ToString());
            Assert.Contains("left the project in 2021", item.QuerySelector("[data-testid=contest-reason]")!.TextContent, StringComparison.Ordinal);

            using var missingReason = await SubmitAsync(operatorBrowser, "/ops/claims", $"decide-{adminClaim.Id}", new Dictionary<string, string> { ["Decision"] = "reject", ["Reason"] = " " });
            Assert.Contains("Give the reason for your decision", await RefusalAsync(missingReason), StringComparison.Ordinal);

            using var rejected = await SubmitAsync(operatorBrowser, "/ops/claims", $"decide-{adminClaim.Id}", new Dictionary<string, string> { ["Decision"] = "reject", ["Reason"] = "The repository's owners confirmed they no longer maintain it." });
            var after = await FollowAsync(operatorBrowser, rejected);
            Assert.DoesNotContain(after.QuerySelectorAll("[data-testid=contested-claim]"), e => e.GetAttribute("data-claim-id") == adminClaim.Id.ToString());
            Assert.Contains(after.QuerySelectorAll("[data-testid=audit-entry]"), e => e.GetAttribute("data-action") == nameof(MaintainerAuditAction.ContestRejected) && e.TextContent.Contains(project.Key, StringComparison.Ordinal));
        }

        var rejectedClaim = await ClaimOfAsync(project.Key, project.Admin);
        Assert.Equal((ClaimState.Rejected, "The repository's owners confirmed they no longer maintain it."), (rejectedClaim.State, rejectedClaim.DecisionReason));
        Assert.Equal(MaintainerRole.Admin, (await ClaimOfAsync(project.Key, project.Second)).Role);
        Assert.Equal([(project.Second.Login, 10_000)], Shares(await SplitForAsync(project.Key, DateTimeOffset.UtcNow)));
        var audit = await AuditAsync(project.Key);
        Assert.Equal([MaintainerAuditAction.Contested, MaintainerAuditAction.ContestRejected, MaintainerAuditAction.SplitChanged, MaintainerAuditAction.AdminAppointed], audit[^4..]);
    }

    [Fact]
    public async Task An_upheld_claim_is_verified_again_and_keeps_its_share()
    {
        var project = await ProjectWithTwoMaintainersAsync();
        var adminClaim = await ClaimOfAsync(project.Key, project.Admin);
        using var contested = await SubmitAsync(project.SecondBrowser, project.Url, $"contest-{adminClaim.Id}", new Dictionary<string, string> { ["Reason"] = "Not sure they still maintain it." });
        await FollowAsync(project.SecondBrowser, contested);
        var contestedPage = await PageAsync(project.AdminBrowser, project.Url);
        Assert.Null(contestedPage.QuerySelector("[data-testid=split-editor]"));

        await using var scope = fixture.App.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<MaintainerClaims>().DecideAsync(OperatorActor(), adminClaim.Id, uphold: true, "They are still the release manager.");

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(ClaimState.Verified, (await ClaimOfAsync(project.Key, project.Admin)).State);
        Assert.Equal([(project.Admin.Login, 10_000)], Shares(await SplitForAsync(project.Key, DateTimeOffset.UtcNow)));
        Assert.Contains(MaintainerAuditAction.ContestUpheld, await AuditAsync(project.Key));
    }

    [Fact]
    public async Task Only_a_maintainer_with_their_own_proof_can_contest_and_only_a_verified_claim()
    {
        var project = await ProjectWithOneAdminAsync();
        var invitee = fixture.NewGitHubUser();
        using var invited = await SubmitAsync(project.AdminBrowser, project.Url, "invite", new Dictionary<string, string> { ["Login"] = invitee.Login });
        (await fixture.SignInWithGitHubAsync(invitee)).Dispose();
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var claims = scope.ServiceProvider.GetRequiredService<MaintainerClaims>();
        var inviteeActor = await ActorAsync(invitee);
        var invitation = await fixture.App.QueryAsync(db => db.MaintainerInvitations.SingleAsync(i => i.ProjectKey == project.Key));
        Assert.True((await claims.AcceptInvitationAsync(inviteeActor, invitation.Id)).Succeeded);
        var adminClaim = await ClaimOfAsync(project.Key, project.Admin);

        var byInvitee = await claims.ContestAsync(inviteeActor, adminClaim.Id, "I think so.");
        var ownClaim = await claims.ContestAsync(await ActorAsync(project.Admin), adminClaim.Id, "Myself?");
        var byOperator = await claims.DecideAsync(OperatorActor(), adminClaim.Id, uphold: false, "Nothing to decide.");
        var byNonOperator = await claims.DecideAsync(inviteeActor, adminClaim.Id, uphold: false, "I decide.");

        Assert.Contains("an invitation is not proof", byInvitee.Message, StringComparison.Ordinal);
        Assert.Contains("cannot contest your own claim", ownClaim.Message, StringComparison.Ordinal);
        Assert.Contains("not contested; there is nothing to decide", byOperator.Message, StringComparison.Ordinal);
        Assert.Contains("Only an operator", byNonOperator.Message, StringComparison.Ordinal);
        Assert.Equal(ClaimState.Verified, (await ClaimOfAsync(project.Key, project.Admin)).State);
    }

    [Fact]
    public async Task When_the_only_admin_withdraws_the_next_maintainer_becomes_admin_and_receives_the_share()
    {
        var project = await ProjectWithTwoMaintainersAsync();

        await AdminWithdrawsAsync(project);

        Assert.Equal(MaintainerRole.Admin, (await ClaimOfAsync(project.Key, project.Second)).Role);
        Assert.Equal([(project.Second.Login, 10_000)], Shares(await SplitForAsync(project.Key, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task When_the_last_maintainer_withdraws_nobody_has_a_share_and_the_log_says_the_money_waits()
    {
        var project = await ProjectWithOneAdminAsync();

        await AdminWithdrawsAsync(project);

        var split = await SplitForAsync(project.Key, DateTimeOffset.UtcNow);
        Assert.NotNull(split);
        Assert.Empty(Shares(split));
        var logged = await fixture.App.QueryAsync(db => db.MaintainerAuditLog.Where(e => e.ProjectKey == project.Key && e.Action == MaintainerAuditAction.SplitChanged)
            .OrderByDescending(e => e.Id).Select(e => e.Details).FirstAsync());
        Assert.Contains("nobody", logged, StringComparison.Ordinal);
        Assert.Contains("waits in escrow", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_entries_and_split_versions_can_never_be_changed_or_deleted()
    {
        var project = await ProjectWithOneAdminAsync();

        var editAudit = await Record.ExceptionAsync(() => fixture.App.QueryAsync(async db =>
        {
            var entry = await db.MaintainerAuditLog.FirstAsync(e => e.ProjectKey == project.Key);
            entry.Details = "rewritten";
            return await db.SaveChangesAsync();
        }));
        var deleteSplit = await Record.ExceptionAsync(() => fixture.App.QueryAsync(async db =>
        {
            db.MaintainerSplitVersions.Remove(await db.MaintainerSplitVersions.FirstAsync(v => v.ProjectKey == project.Key));
            return await db.SaveChangesAsync();
        }));

        Assert.IsType<InvalidOperationException>(editAudit);
        Assert.IsType<InvalidOperationException>(deleteSplit);
    }

    /// <summary>The admin withdraws their claim through the project page.</summary>
    private async Task AdminWithdrawsAsync(TestProject project)
    {
        using var withdrawn = await SubmitAsync(project.AdminBrowser, project.Url, "withdraw");
        await FollowAsync(project.AdminBrowser, withdrawn);
        Assert.Equal(ClaimState.Revoked, (await ClaimOfAsync(project.Key, project.Admin)).State);
    }

    private sealed record TestProject(FakeGitHubRepository Repository, string Key, string Url, FakeGitHubUser Admin, string AdminUserId, HttpClient AdminBrowser, FakeGitHubUser Second, string SecondUserId, HttpClient SecondBrowser);

    /// <summary>A project whose admin proved it by role; <see cref="TestProject.Second"/> is unset.</summary>
    private async Task<TestProject> ProjectWithOneAdminAsync()
    {
        var admin = fixture.NewGitHubUser();
        var (owner, name) = NewRepositoryName();
        var repository = GitHub.AddRepositoryWithRole(owner, name, admin, GitHubPermission.Admin);
        var browser = await fixture.SignInWithGitHubAsync(admin);
        using var claimed = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = $"github.com/{owner}/{name}" });
        Assert.Equal(HttpStatusCode.Redirect, claimed.StatusCode);
        var key = $"github.com/{owner}/{name}";
        return new TestProject(repository, key, ProjectUrl(owner, name), admin, (await ClaimOfAsync(key, admin)).UserId, browser, null!, "", null!);
    }

    /// <summary>A project with its admin and a second maintainer who proved their claim by a committed token, after the admin.</summary>
    private async Task<TestProject> ProjectWithTwoMaintainersAsync()
    {
        var project = await ProjectWithOneAdminAsync();
        var second = fixture.NewGitHubUser();
        var browser = await fixture.SignInWithGitHubAsync(second);
        using var claimed = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = project.Key });
        var token = (await FollowAsync(browser, claimed)).QuerySelector("[data-testid=verification-token]")!.TextContent.Trim();
        project.Repository.AddFile(".sustain-claim", token);
        using var checkedNow = await SubmitAsync(browser, project.Url, "check");
        await FollowAsync(browser, checkedNow);
        var claim = await ClaimOfAsync(project.Key, second);
        Assert.Equal((ClaimState.Verified, MaintainerRole.Maintainer), (claim.State, claim.Role));
        return project with { Second = second, SecondUserId = claim.UserId, SecondBrowser = browser };
    }

    private static Task<HttpResponseMessage> SubmitSplitAsync(TestProject project, (string Admin, string Second) percents) =>
        SubmitAsync(project.AdminBrowser, project.Url, "split", new Dictionary<string, string>
        {
            ["Split[0].UserId"] = project.AdminUserId,
            ["Split[0].Percent"] = percents.Admin,
            ["Split[1].UserId"] = project.SecondUserId,
            ["Split[1].Percent"] = percents.Second,
        });

    private async Task<MaintainerSplitVersion?> SplitForAsync(string key, DateTimeOffset instant) =>
        await fixture.App.Services.GetRequiredService<MaintainerSplits>().SplitForAsync(key, instant);

    private async Task<(bool, IReadOnlyList<string>)> SplitsSetAsync(FakeGitHubUser user, string key, IReadOnlyList<SplitShare> shares) =>
        await fixture.App.Services.GetRequiredService<MaintainerSplits>().SetAsync(await ActorAsync(user), key, shares);

    private static List<(string, int)> Shares(MaintainerSplitVersion? version) =>
        [.. version!.Shares.Where(s => s.BasisPoints > 0).OrderByDescending(s => s.BasisPoints).Select(s => (s.GitHubLogin, s.BasisPoints))];

    private Task<MaintainerClaim> ClaimOfAsync(string key, FakeGitHubUser user) =>
        fixture.App.QueryAsync(db => db.MaintainerClaims.AsNoTracking().Where(c => c.ProjectKey == key && c.GitHubLogin == user.Login).OrderByDescending(c => c.CreatedAt).FirstAsync());

    private Task<List<MaintainerAuditAction>> AuditAsync(string key) =>
        fixture.App.QueryAsync(db => db.MaintainerAuditLog.Where(e => e.ProjectKey == key).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());

    private async Task<MaintainerActor> ActorAsync(FakeGitHubUser user)
    {
        var id = await fixture.App.QueryAsync(db => db.Users.Where(u => u.GitHubLogin == user.Login).Select(u => u.Id).SingleAsync());
        return new MaintainerActor(id, user.Login, user.Email, IsOperator: false);
    }

    private static MaintainerActor OperatorActor() => new("operator-user", null, OperatorEmail, IsOperator: true);
}
