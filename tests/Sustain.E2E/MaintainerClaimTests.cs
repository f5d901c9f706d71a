using Microsoft.Playwright;
using Sustain.Testing.Fakes.GitHub;

namespace Sustain.E2E;

[Collection(BrowserCollection.Name)]
public sealed class MaintainerClaimTests(GitHubBrowserFixture fixture) : IClassFixture<GitHubBrowserFixture>
{
    [SkippableFact]
    public async Task A_maintainer_signs_in_with_GitHub_claims_a_project_by_permission_and_splits_it_with_a_co_maintainer()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        var github = fixture.GitHub;
        var ada = github.AddUser($"ada-{Guid.NewGuid():N}"[..12], name: "Ada Admin", email: $"ada-{Guid.NewGuid():N}@example.com");
        var lin = github.AddUser($"lin-{Guid.NewGuid():N}"[..12], name: "Lin Maintainer", email: $"lin-{Guid.NewGuid():N}@example.com");
        var repository = github.AddRepository("tiny-tools", $"widget-{Guid.NewGuid():N}"[..14], "A tiny widget library")
            .Grant(ada, GitHubPermission.Admin)
            .Grant(lin, GitHubPermission.Maintain);

        var admin = await SignInAsync(ada);
        await admin.GetByTestId("start-claim").ClickAsync();
        await admin.GetByLabel("GitHub repository").FillAsync($"github.com/{repository.FullName}");
        await admin.GetByTestId("claim-submit").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("notice")).ToContainTextAsync("Your claim is verified.");
        await Assertions.Expect(admin.Locator($"[data-testid=maintainer-row][data-login='{ada.Login}'] [data-testid=maintainer-share]")).ToHaveTextAsync("100.00%");

        var coMaintainer = await SignInAsync(lin);
        await coMaintainer.GotoAsync($"/maintainers/claim?repository={Uri.EscapeDataString(repository.FullName)}");
        await coMaintainer.GetByTestId("claim-submit").ClickAsync();
        await Assertions.Expect(coMaintainer.GetByTestId("own-claim")).ToContainTextAsync("You are a maintainer of this project");

        var unproved = github.AddRepository("tiny-tools", $"gadget-{Guid.NewGuid():N}"[..14]);
        await coMaintainer.GotoAsync($"/maintainers/claim?repository={Uri.EscapeDataString(unproved.FullName)}");
        await coMaintainer.GetByTestId("claim-submit").ClickAsync();
        await Assertions.Expect(coMaintainer.GetByTestId("verification-token")).ToContainTextAsync("sustain-claim-");
        await BrowserFixture.ScreenshotAsync(coMaintainer, "maintainer-pending-claim-light");

        await admin.ReloadAsync();
        await admin.Locator($"[data-testid=split-percent][data-login='{ada.Login}']").FillAsync("70");
        await admin.Locator($"[data-testid=split-percent][data-login='{lin.Login}']").FillAsync("30.5");
        await admin.GetByTestId("split-save").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("maintainers-error")).ToContainTextAsync("add up to 100.50%");
        await admin.Locator($"[data-testid=split-percent][data-login='{lin.Login}']").FillAsync("30");
        await admin.GetByTestId("split-save").ClickAsync();

        await Assertions.Expect(admin.GetByTestId("notice")).ToContainTextAsync("The new split is saved");
        await Assertions.Expect(admin.Locator($"[data-testid=maintainer-row][data-login='{lin.Login}'] [data-testid=maintainer-share]")).ToHaveTextAsync("30.00%");
        await Assertions.Expect(admin.GetByTestId("split-version")).ToHaveCountAsync(2);
        await Assertions.Expect(admin.Locator("[data-testid=audit-entry][data-action=SplitChanged]").First).ToContainTextAsync("70.00%");
        await BrowserFixture.ScreenshotAsync(admin, "maintainer-project-light");

        await admin.GetByTestId("theme-toggle").ClickAsync();
        await Assertions.Expect(admin.Locator("body.theme-dark")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(admin, "maintainer-project-dark");
        await admin.GotoAsync("/maintainers");
        await Assertions.Expect(admin.GetByTestId("claim-row")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(admin, "maintainer-home-dark");
    }

    private async Task<IPage> SignInAsync(FakeGitHubUser user)
    {
        fixture.GitHub.SignInAs(user);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Fmaintainers");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with GitHub" }).ClickAsync();
        await page.WaitForURLAsync("**/maintainers");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your projects" })).ToBeVisibleAsync();
        return page;
    }
}
