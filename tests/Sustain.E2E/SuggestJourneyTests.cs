using Microsoft.Playwright;

namespace Sustain.E2E;

/// <summary>
/// What finance does with a suggestion: open the what-if page of the demo organisation, move the
/// budget, see the split follow, save it as a snapshot and find it in the list; with screenshots of
/// the suggest, policy and snapshot pages in both themes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SuggestJourneyTests(BrowserFixture fixture)
{
    [SkippableFact]
    public async Task Finance_moves_the_budget_saves_a_snapshot_and_finds_it_listed()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        var page = await fixture.NewPageAsync();
        await SignInAsDemoAsync(page);

        await page.GotoAsync("/app/acme/suggest");
        await BrowserFixture.WaitForInteractivityAsync(page);
        await Assertions.Expect(page.GetByTestId("suggested-budget")).ToHaveTextAsync("USD 240,000.00");
        await Assertions.Expect(page.GetByTestId("whatif-summary")).ToContainTextAsync("USD 150,000.00");
        await Assertions.Expect(page.GetByTestId("allocation-chart")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "suggest-light");

        var budget = page.GetByTestId("whatif-budget");
        await budget.FillAsync("98765");
        await Assertions.Expect(page.GetByTestId("whatif-summary")).ToContainTextAsync("USD 98,765.00");
        var first = page.GetByTestId("share-row").First;
        await first.GetByTestId("share-why").ClickAsync();
        await Assertions.Expect(page.GetByTestId("share-reasons").First).ToContainTextAsync("Used by");

        var engineering = page.GetByRole(AriaRole.Tab, new() { Name = "Engineering time" });
        await Assertions.Expect(engineering).ToHaveCSSAsync("text-transform", "none");
        await engineering.ClickAsync();
        await Assertions.Expect(page.GetByTestId("total-hours")).ToContainTextAsync("10,800 hours a year");
        await Assertions.Expect(page.GetByTestId("target-row").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("target-row").First.Locator("td[data-label='Target hours']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[\d,]+\.\d h$"));
        await BrowserFixture.ScreenshotAsync(page, "suggest-engineering-light");

        await page.GetByTestId("snapshot-label").FillAsync("Browser test budget");
        await page.GetByTestId("save-snapshot").ClickAsync();
        await Assertions.Expect(page.GetByTestId("snapshot-saved")).ToBeVisibleAsync();

        await page.GotoAsync("/app/acme/snapshots");
        // A click on the prerendered link while the circuit is still starting can be lost.
        await BrowserFixture.WaitForInteractivityAsync(page);
        var row = page.GetByTestId("snapshot-row").Filter(new() { HasText = "Browser test budget" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.GetByTestId("snapshot-budget")).ToHaveTextAsync("USD 98,765.00");
        await BrowserFixture.ScreenshotAsync(page, "snapshots-light");

        await row.GetByTestId("snapshot-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("snapshot-title")).ToHaveTextAsync("Browser test budget");
        await Assertions.Expect(page.GetByTestId("pledge-snapshot")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^/app/acme/pledges/new\?snapshot=[0-9a-f-]{36}$"));
        await BrowserFixture.ScreenshotAsync(page, "snapshot-light");

        var dark = await fixture.NewPageAsync(dark: true);
        await SignInAsDemoAsync(dark);
        foreach (var (path, name) in new[] { ("/app/acme/suggest", "suggest"), ("/app/acme/policy", "policy"), ("/app/acme/snapshots", "snapshots") })
        {
            await dark.GotoAsync(path);
            await BrowserFixture.WaitForInteractivityAsync(dark);
            await Assertions.Expect(dark.Locator("#blazor-error-ui")).ToBeHiddenAsync();
            await BrowserFixture.ScreenshotAsync(dark, $"{name}-dark");
        }

        await page.GotoAsync("/app/acme/policy");
        await BrowserFixture.WaitForInteractivityAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "policy-light");
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
