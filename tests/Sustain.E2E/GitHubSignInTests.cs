using Microsoft.Playwright;
using Sustain.Testing.Fakes.GitHub;

namespace Sustain.E2E;

/// <summary>The server, configured for "Sign in with GitHub" against a fake GitHub running in this test process.</summary>
public sealed class GitHubBrowserFixture : BrowserFixture
{
    public FakeGitHub GitHub { get; private set; } = default!;

    protected override async Task<IDictionary<string, string>?> ServerSettingsAsync()
    {
        GitHub = await FakeGitHub.StartAsync();
        return GitHub.SustainSettings.ToDictionary();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (GitHub is not null)
            await GitHub.DisposeAsync();
    }
}

[Collection(BrowserCollection.Name)]
public sealed class GitHubSignInTests(GitHubBrowserFixture fixture) : IClassFixture<GitHubBrowserFixture>
{
    [SkippableFact]
    public async Task Signing_in_with_GitHub_lands_on_the_dashboard_signed_in()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        var octocat = fixture.GitHub.AddUser($"octo-{Guid.NewGuid():N}"[..13], name: "Mona Octocat", email: $"mona-{Guid.NewGuid():N}@example.com");
        fixture.GitHub.SignInAs(octocat);
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/account/login");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with GitHub" }).ClickAsync();

        await page.WaitForURLAsync("**/app");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your organisations" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(octocat.Email!)).ToBeVisibleAsync();
        Assert.Single(fixture.GitHub.RequestsTo(FakeGitHub.TokenPath));
        Assert.Same(octocat, fixture.GitHub.UserOfToken(Assert.Single(fixture.GitHub.RequestsTo("/user")).AccessToken));
        await BrowserFixture.WaitForInteractivityAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "github-sign-in");
    }
}
