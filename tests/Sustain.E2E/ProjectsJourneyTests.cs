using Microsoft.Playwright;

namespace Sustain.E2E;

/// <summary>
/// A company engineer's look at what they depend on, on the offline demo: projects resolved by the
/// background job, the riskiest dependencies with their reasons, and a project's own page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProjectsJourneyTests(BrowserFixture fixture)
{
    [SkippableFact]
    public async Task From_projects_to_the_riskiest_dependencies_to_a_project_page_in_both_themes()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        foreach (var dark in new[] { false, true })
        {
            var theme = dark ? "dark" : "light";
            var page = await fixture.NewPageAsync(dark);
            await SignInAsDemoAsync(page);

            // The demo's uploads queued a resolution at start; its projects appear once it has run.
            await page.GotoAsync("/app/acme/projects");
            await BrowserFixture.WaitForInteractivityAsync(page);
            await Assertions.Expect(page.GetByTestId("project-row").First).ToBeVisibleAsync();
            var resolveNow = page.GetByTestId("resolve-now");
            await resolveNow.ClickAsync();
            // The button stays disabled while the job runs (a worker picks it up within its poll interval), then the bar reports the outcome.
            await Assertions.Expect(resolveNow).ToBeDisabledAsync();
            await Assertions.Expect(resolveNow).ToBeEnabledAsync();
            await Assertions.Expect(page.GetByTestId("resolve-progress").GetByTestId("job-progress-label")).ToContainTextAsync("Resolved");
            await BrowserFixture.ScreenshotAsync(page, $"projects-resolved-{theme}");

            await page.GetByTestId("risks-link").ClickAsync();
            await page.WaitForURLAsync("**/app/acme/risks");
            await BrowserFixture.WaitForInteractivityAsync(page);
            var first = page.GetByTestId("risk-row").First;
            await Assertions.Expect(first.GetByTestId("risk-reason").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("demo-signals")).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(page, $"risks-{theme}");

            await first.GetByTestId("risk-project").ClickAsync();
            await page.WaitForURLAsync("**/app/acme/projects/github.com/**");
            await BrowserFixture.WaitForInteractivityAsync(page);
            await Assertions.Expect(page.GetByTestId("fragility")).ToContainTextAsync("fragility");
            await Assertions.Expect(page.GetByTestId("risk-reason").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("use").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
            await BrowserFixture.ScreenshotAsync(page, $"project-{theme}");
        }
    }

    private static async Task SignInAsDemoAsync(IPage page)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync("demo@sustain.example");
        await page.GetByLabel("Password").FillAsync("sustain-demo-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/app");
    }
}
