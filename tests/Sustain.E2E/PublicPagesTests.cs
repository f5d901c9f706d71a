using Microsoft.Playwright;

namespace Sustain.E2E;

[Collection(BrowserCollection.Name)]
public sealed class PublicPagesTests(BrowserFixture fixture)
{
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Home_page_invites_a_first_visitor_to_the_demo(bool dark)
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        var page = await fixture.NewPageAsync(dark);

        await page.GotoAsync("/");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Fund the open source you depend on");
        await Assertions.Expect(page.GetByTestId("demo-hint")).ToContainTextAsync("demo@sustain.example");
        Assert.Equal(dark ? "theme-dark" : "theme-light", await page.EvaluateAsync<string>("document.body.className"));
        await BrowserFixture.ScreenshotAsync(page, dark ? "home-dark" : "home-light");
    }

    [SkippableFact]
    public async Task The_theme_toggle_switches_to_dark_and_back()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/about");

        // The toggle's round trip ends on the same address, so wait for the page it brings back, not for the address.
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToHaveClassAsync("theme-dark");
        Assert.EndsWith("/about", page.Url, StringComparison.Ordinal);

        await page.GetByTestId("theme-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToHaveClassAsync("theme-light");
        Assert.EndsWith("/about", page.Url, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("/about", "how-it-works")]
    [InlineData("/api", "api-reference")]
    [InlineData("/account/login", "sign-in")]
    [InlineData("/account/register", "register")]
    [InlineData("/no-such-page", "not-found")]
    public async Task Public_pages_render_in_both_themes(string path, string name)
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        foreach (var dark in new[] { false, true })
        {
            var page = await fixture.NewPageAsync(dark);
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(page, $"{name}-{(dark ? "dark" : "light")}");
        }
    }
}
