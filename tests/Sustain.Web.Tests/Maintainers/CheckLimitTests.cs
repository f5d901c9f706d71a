using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core.Maintainers;
using Sustain.Data.Identity;
using Sustain.Testing.Fakes.GitHub;
using Sustain.Web.Identity;
using Sustain.Web.Tests.Infrastructure;
using static Sustain.Web.Tests.Maintainers.MaintainersApp;

namespace Sustain.Web.Tests.Maintainers;

/// <summary>The app as deployed: "Check now" limited to once per interval; and how the GitHub token claims need is kept.</summary>
public sealed class CheckLimitTests : IAsyncLifetime
{
    private readonly MaintainersApp fixture = new() { CheckInterval = TimeSpan.FromMinutes(10) };

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task Check_now_within_the_interval_is_refused_without_asking_GitHub()
    {
        var user = fixture.NewGitHubUser();
        var (owner, name) = NewRepositoryName();
        fixture.GitHub.AddRepository(owner, name);
        using var browser = await fixture.SignInWithGitHubAsync(user);
        using var claimed = await SubmitAsync(browser, "/maintainers/claim", "claim", new Dictionary<string, string> { ["Repository"] = $"github.com/{owner}/{name}" });
        await FollowAsync(browser, claimed);
        var asked = fixture.GitHub.RequestsAbout(owner, name).Count;

        using var check = await SubmitAsync(browser, ProjectUrl(owner, name), "check");

        var refusal = await RefusalAsync(check);
        Assert.Contains("GitHub is asked at most once every 600 s per claim. Try again in", refusal, StringComparison.Ordinal);
        Assert.Equal(asked, fixture.GitHub.RequestsAbout(owner, name).Count);
        Assert.Equal(ClaimState.Pending, await fixture.App.QueryAsync(db => db.MaintainerClaims.Where(c => c.GitHubLogin == user.Login).Select(c => c.State).SingleAsync()));
    }

    [Fact]
    public async Task Signing_in_with_GitHub_keeps_the_access_token_encrypted_and_readable_by_the_app()
    {
        var user = fixture.NewGitHubUser();

        (await fixture.SignInWithGitHubAsync(user)).Dispose();

        var stored = await fixture.App.QueryAsync(db => db.UserTokens.SingleAsync(t => t.LoginProvider == IdentitySetup.GitHubScheme && db.Users.Any(u => u.Id == t.UserId && u.GitHubLogin == user.Login)));
        Assert.DoesNotContain("gho_", stored.Value, StringComparison.Ordinal);
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SustainUser>>();
        var token = await scope.ServiceProvider.GetRequiredService<GitHubAccessTokens>().ReadAsync(users, (await users.FindByIdAsync(stored.UserId))!);
        Assert.Same(user, fixture.GitHub.UserOfToken(token));
    }

    [Fact]
    public async Task A_password_user_who_signs_in_with_GitHub_links_it_to_the_same_account()
    {
        var local = await fixture.App.CreateUserAsync($"local-{Guid.NewGuid():N}@example.test");
        // On https, as the OAuth correlation cookie is Secure.
        var browser = fixture.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });
        using (var login = await Forms.SubmitAsync(browser, "/account/login", new Dictionary<string, string> { ["Input.Email"] = local.Email!, ["Input.Password"] = SustainAppFactory.Password }))
            await login.AssertStatusAsync(System.Net.HttpStatusCode.Redirect);
        var gitHubUser = fixture.GitHub.AddUser($"gh-{Guid.NewGuid():N}"[..15], email: $"other-{Guid.NewGuid():N}@example.test");
        fixture.GitHub.SignInAs(gitHubUser);
        using (browser)
        {
            var next = new Uri("/account/login/github?returnUrl=%2Fmaintainers", UriKind.Relative);
            using var github = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            for (var hop = 0; hop < 10 && next.OriginalString != "/maintainers"; hop++)
            {
                var toGitHub = next.IsAbsoluteUri && next.Authority == fixture.GitHub.Address.Authority;
                using var response = await (toGitHub ? github : browser).GetAsync(next.IsAbsoluteUri && !toGitHub ? new Uri(next.PathAndQuery, UriKind.Relative) : next);
                next = response.Headers.Location ?? new Uri("/maintainers", UriKind.Relative);
            }

            var home = await PageAsync(browser, "/maintainers");
            Assert.Null(home.QuerySelector("[data-testid=link-github]"));
            Assert.NotNull(home.QuerySelector("[data-testid=start-claim]"));
        }

        Assert.Equal(gitHubUser.Login, await fixture.App.QueryAsync(db => db.Users.Where(u => u.Id == local.Id).Select(u => u.GitHubLogin).SingleAsync()));
        Assert.False(await fixture.App.QueryAsync(db => db.Users.AnyAsync(u => u.Email == gitHubUser.Email)));
    }
}
