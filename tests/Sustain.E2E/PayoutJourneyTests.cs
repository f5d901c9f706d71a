using Microsoft.Playwright;
using Sustain.Testing.Fakes.GitHub;

namespace Sustain.E2E;

/// <summary>The demo instance, with GitHub faked, escrow moved to maintainers every second, and the maintainer also its operator.</summary>
public sealed class PayoutBrowserFixture : BrowserFixture
{
    public const string MaintainerEmail = "payout-maintainer@example.com";

    public FakeGitHub GitHub { get; private set; } = default!;

    protected override async Task<IDictionary<string, string>?> ServerSettingsAsync()
    {
        GitHub = await FakeGitHub.StartAsync();
        var settings = GitHub.SustainSettings.ToDictionary();
        settings["Operators:Emails"] = MaintainerEmail;
        settings["Payouts:DistributeEvery"] = "00:00:01";
        settings["Payouts:MinimumAmount"] = "1";
        settings["Jobs:PollInterval"] = "00:00:00.250";
        // The demo's project enrichment jobs would otherwise hold both default slots while the payout jobs wait.
        settings["Jobs:Concurrency"] = "6";
        return settings;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (GitHub is not null)
            await GitHub.DisposeAsync();
    }
}

[Collection(BrowserCollection.Name)]
public sealed class PayoutJourneyTests(PayoutBrowserFixture fixture) : IClassFixture<PayoutBrowserFixture>
{
    [SkippableFact]
    public async Task A_maintainer_claims_a_funded_project_onboards_to_simulated_stripe_and_sees_their_payout()
    {
        Skip.IfNot(BrowserFixture.ChromiumAvailable, "Debian's chromium is not installed at /usr/bin/chromium.");
        var github = fixture.GitHub;
        var maintainer = github.AddUser($"zert-{Guid.NewGuid():N}"[..12], name: "Zed Maintainer", email: PayoutBrowserFixture.MaintainerEmail);
        github.AddRepository("zertosh", "loose-envify", "Fast (and loose) selective process.env replacer").Grant(maintainer, GitHubPermission.Admin);
        github.SignInAs(maintainer);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Fmaintainers");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with GitHub" }).ClickAsync();
        await page.WaitForURLAsync("**/maintainers");

        await page.GetByTestId("start-claim").ClickAsync();
        await page.GetByLabel("GitHub repository").FillAsync("github.com/zertosh/loose-envify");
        await page.GetByTestId("claim-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Your claim is verified.");

        await page.GotoAsync("/maintainers/payouts");
        // The escrow reaches the balance through a background job, line by line: reload until it has.
        await ReloadUntilAsync(page, "[data-testid=incoming-row]");
        await ReloadUntilAsync(page, "[data-testid=balance]:not(:text-is('USD 0.00'))");
        await page.GetByTestId("start-onboarding").ClickAsync();
        await page.GetByTestId("finish-onboarding").ClickAsync();
        await Assertions.Expect(page.GetByTestId("payouts-enabled")).ToBeVisibleAsync();

        await page.GotoAsync("/ops/payouts");
        await page.GetByTestId("run-payouts").ClickAsync();
        await Assertions.Expect(page.GetByTestId("run-started")).ToBeVisibleAsync();
        await page.GotoAsync("/maintainers/payouts");
        await ReloadUntilAsync(page, "[data-testid=payout-state][data-state=Paid]");
        await Assertions.Expect(page.GetByTestId("balance")).ToHaveTextAsync("USD 0.00");
        await BrowserFixture.ScreenshotAsync(page, "maintainer-payouts-light");

        await page.GetByTestId("theme-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("body.theme-dark")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "maintainer-payouts-dark");
        await page.GotoAsync("/ops/payouts");
        await Assertions.Expect(page.GetByTestId("count-Paid")).ToHaveTextAsync("1");
        await BrowserFixture.ScreenshotAsync(page, "operator-payouts-dark");
    }

    /// <summary>Background jobs move the money; the page shows it once they have, so it is reloaded until then (at most 60 s).</summary>
    internal static async Task ReloadUntilAsync(IPage page, string selector)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await page.ReloadAsync())
        {
            if (await page.Locator(selector).CountAsync() > 0)
                return;
            await page.WaitForTimeoutAsync(500);
        }

        await Assertions.Expect(page.Locator(selector).First).ToBeVisibleAsync();
    }
}
