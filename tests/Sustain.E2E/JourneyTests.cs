using Microsoft.Playwright;
using Sustain.Core.Tests.Corpus;

namespace Sustain.E2E;

/// <summary>
/// What a company engineer does first: sign up, create an organisation, upload a real SBOM, see its
/// dependencies, and find out why one of them is there.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JourneyTests(BrowserFixture fixture)
{
    [SkippableFact]
    public async Task A_new_user_signs_up_uploads_an_sbom_and_finds_why_a_dependency_is_there()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        var page = await fixture.NewPageAsync();
        var email = $"eng-{Guid.NewGuid():N}@example.com";

        await page.GotoAsync("/account/register");
        await page.GetByLabel("Your name").FillAsync("Erin Engineer");
        await page.GetByLabel("Work email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("correct-horse-42");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await page.WaitForURLAsync("**/app");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your organisations" })).ToBeVisibleAsync();
        await BrowserFixture.WaitForInteractivityAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "dashboard-empty");

        await page.GetByTestId("org-name").FillAsync("Globex Corporation");
        await page.GetByTestId("org-create").ClickAsync();

        await page.WaitForURLAsync("**/app/globex-corporation");
        await Assertions.Expect(page.GetByTestId("empty-products")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "organisation-new");

        // Upload a real SBOM (laravel's CycloneDX 1.4, written by others) through the drop zone.
        await page.GotoAsync("/app/globex-corporation/upload");
        await BrowserFixture.WaitForInteractivityAsync(page);
        await page.GetByTestId("upload-new-product").FillAsync("Laravel shop");
        await page.Locator("input[type=file]").SetInputFilesAsync(CorpusFiles.PathOf("cyclonedx/bom-examples/laravel-7.12.0.bom.1.4.json"));
        await Assertions.Expect(page.GetByTestId("upload-result")).ToContainTextAsync("62", new() { Timeout = 60_000 });
        await BrowserFixture.ScreenshotAsync(page, "upload-done");

        // Its dependencies, and why a deep one is there.
        await page.GotoAsync("/app/globex-corporation/products/laravel-shop/dependencies");
        await BrowserFixture.WaitForInteractivityAsync(page);
        await page.GetByTestId("deps-search").FillAsync("polyfill-php80");
        // Wait for the search to narrow the table to the one row, so the click lands on the row that stays.
        var rows = page.GetByTestId("deps-table").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        var row = rows.Filter(new() { HasText = "polyfill-php80" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "dependencies");
        await row.GetByTestId("deps-why").ClickAsync();
        var chain = page.GetByTestId("why-chain");
        await Assertions.Expect(chain).ToContainTextAsync("laravel");
        await Assertions.Expect(chain).ToContainTextAsync("polyfill-php80");
        Assert.True(await chain.Locator("li").CountAsync() >= 3, "the path runs from the root through at least one package to polyfill-php80");
        await BrowserFixture.ScreenshotAsync(page, "why-is-this-here");
    }

    [SkippableFact]
    public async Task A_wrong_password_is_refused_with_a_clear_message()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync("demo@sustain.example");
        await page.GetByLabel("Password").FillAsync("not-the-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync("The email or password is wrong");
    }
}
