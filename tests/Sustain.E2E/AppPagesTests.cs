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

    [SkippableFact]
    public async Task The_organisation_dependencies_name_each_product_and_offer_it_by_name_as_a_filter()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        var page = await fixture.NewPageAsync(dark: false);
        await SignInAsDemoAsync(page);

        await page.GotoAsync("/app/acme/dependencies");
        await BrowserFixture.WaitForInteractivityAsync(page);

        // Each row names its product as people know it, and links to it by its short name.
        var products = page.Locator("td[data-label=Product] a");
        await Assertions.Expect(products.First).ToBeVisibleAsync();
        var shown = (await products.AllTextContentsAsync()).Select(text => text.Trim()).ToHashSet();
        Assert.Subset(new HashSet<string> { "Storefront", "Fleet API" }, shown);
        var links = await products.EvaluateAllAsync<string[]>("links => links.map(link => link.getAttribute('href'))");
        Assert.All(links, link => Assert.Matches("^/app/acme/products/(storefront|fleet-api)$", link));

        await page.GetByTestId("deps-product").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Fleet API" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "fleet-api" })).ToHaveCountAsync(0);
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
