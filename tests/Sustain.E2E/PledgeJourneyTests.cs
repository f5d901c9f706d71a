using Microsoft.Playwright;

namespace Sustain.E2E;

/// <summary>
/// What finance does: pledge an allocation through the simulated gateway (the server has no Stripe
/// key), land on the paid pledge, and open its printable receipt, in the light and the dark theme.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PledgeJourneyTests(BrowserFixture fixture)
{
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Finance_pledges_an_allocation_with_simulated_payments_and_sees_the_receipt(bool dark)
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        var theme = dark ? "dark" : "light";
        var page = await fixture.NewPageAsync(dark);

        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync("demo@sustain.example");
        await page.GetByLabel("Password").FillAsync("sustain-demo-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/app");

        // The demo organisation starts with one paid pledge of its seeded allocation.
        await page.GotoAsync("/app/acme/pledges");
        await Assertions.Expect(page.GetByTestId("simulated-payments")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("pledges-table")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"pledges-{theme}");

        await page.GetByTestId("pledge-link").First.ClickAsync();
        await page.GetByTestId("pledge-again").ClickAsync();
        await page.WaitForURLAsync("**/pledges/new?snapshot=*");
        await BrowserFixture.WaitForInteractivityAsync(page);
        await Assertions.Expect(page.GetByTestId("pledge-shares")).ToContainTextAsync("github.com/expressjs/express");
        await page.GetByText("Yearly: USD 150,000.00 every year").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Yearly: USD 150,000.00 every year" })).ToBeCheckedAsync();
        await BrowserFixture.ScreenshotAsync(page, $"pledge-new-{theme}");
        await page.GetByTestId("pledge-confirm").ClickAsync();

        await page.WaitForURLAsync("**/checkout?session=cs_sim_*");
        await BrowserFixture.WaitForInteractivityAsync(page);
        await Assertions.Expect(page.GetByTestId("checkout-amount")).ToHaveTextAsync("USD 150,000.00");
        await BrowserFixture.ScreenshotAsync(page, $"pledge-checkout-{theme}");
        await page.GetByTestId("checkout-pay").ClickAsync();

        await page.WaitForURLAsync("**/success");
        await Assertions.Expect(page.GetByTestId("checkout-success")).ToContainTextAsync("Your payment arrived");
        await Assertions.Expect(page.GetByTestId("pledge-status")).ToHaveTextAsync("Active");
        await BrowserFixture.ScreenshotAsync(page, $"pledge-paid-{theme}");

        await page.GetByTestId("receipt-link").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("receipt-title")).ToContainTextAsync("Receipt SUS-");
        await Assertions.Expect(page.GetByTestId("receipt-amount")).ToHaveTextAsync("USD 150,000.00");
        await Assertions.Expect(page.GetByTestId("receipt-projects")).ToContainTextAsync("github.com/expressjs/express");
        await BrowserFixture.ScreenshotAsync(page, $"receipt-{theme}");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.GetByTestId("print-receipt")).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(page, $"receipt-print-{theme}");
    }
}
