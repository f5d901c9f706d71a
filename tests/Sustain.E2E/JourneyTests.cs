using Microsoft.Playwright;

namespace Sustain.E2E;

/// <summary>What a company engineer does first: sign up, create an organisation, and land on it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JourneyTests(BrowserFixture fixture)
{
    [SkippableFact]
    public async Task A_new_user_signs_up_and_creates_an_organisation()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
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
        await BrowserFixture.ScreenshotAsync(page, "organisation-new");
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
