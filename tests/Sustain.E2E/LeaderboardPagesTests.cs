using Microsoft.Playwright;

namespace Sustain.E2E;

/// <summary>The public leaderboards and profiles, over the demo organisation's paid pledge, in both themes and without script.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LeaderboardPagesTests(BrowserFixture fixture)
{
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_visitor_goes_from_the_leaderboard_to_a_company_and_one_of_its_projects(bool dark)
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        var theme = dark ? "dark" : "light";
        var page = await fixture.NewPageAsync(dark);

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Leaderboards" }).ClickAsync();
        await page.WaitForURLAsync("**/leaderboards/companies");
        await Assertions.Expect(page.GetByTestId("companies")).ToContainTextAsync("Acme Robotics");
        await BrowserFixture.ScreenshotAsync(page, $"leaderboard-companies-{theme}");

        await page.GetByTestId("companies").GetByRole(AriaRole.Link, new() { Name = "Acme Robotics" }).ClickAsync();
        await page.WaitForURLAsync("**/companies/acme");
        await Assertions.Expect(page.GetByTestId("rank")).ToContainTextAsync("#1");
        await Assertions.Expect(page.Locator("svg.lb-chart-svg rect").First).ToBeAttachedAsync();
        await BrowserFixture.ScreenshotAsync(page, $"company-profile-{theme}");

        await page.Locator("table.lb-table tbody a").First.ClickAsync();
        await page.WaitForURLAsync("**/projects/**");
        await Assertions.Expect(page.GetByTestId("funders")).ToContainTextAsync("Acme Robotics");
        await BrowserFixture.ScreenshotAsync(page, $"project-profile-{theme}");

        await page.GotoAsync("/leaderboards/projects");
        await Assertions.Expect(page.GetByTestId("most-funded")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"leaderboard-projects-{theme}");
    }

    [SkippableFact]
    public async Task The_leaderboards_render_with_script_disabled()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        await using var context = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.Server.Address.ToString(), JavaScriptEnabled = false });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/leaderboards/projects");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("who is funded");
        await Assertions.Expect(page.GetByTestId("most-funded")).ToBeVisibleAsync();
    }
}
