using Microsoft.Playwright;

namespace Sustain.E2E;

/// <summary>Every signed-in page of the demo organisation renders, interactively, in both themes, with a screenshot of each.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AppPagesTests(BrowserFixture fixture)
{
    [SkippableTheory]
    [InlineData("/app", "app-dashboard")]
    [InlineData("/app/acme", "org-overview")]
    [InlineData("/app/acme/settings", "org-settings")]
    [InlineData("/app/acme/members", "org-members")]
    [InlineData("/app/acme/tokens", "org-tokens")]
    [InlineData("/app/acme/upload", "upload")]
    [InlineData("/app/acme/dependencies", "org-dependencies")]
    [InlineData("/app/acme/projects", "org-projects")]
    [InlineData("/app/acme/products/storefront", "product")]
    [InlineData("/app/acme/products/storefront/dependencies", "product-dependencies")]
    public async Task Demo_organisation_pages_render_in_both_themes(string path, string name)
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        foreach (var dark in new[] { false, true })
        {
            var page = await fixture.NewPageAsync(dark);
            await SignInAsDemoAsync(page);

            await page.GotoAsync(path);
            await BrowserFixture.WaitForInteractivityAsync(page);

            await Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("Nothing here")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
            await BrowserFixture.ScreenshotAsync(page, $"{name}-{(dark ? "dark" : "light")}");
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
