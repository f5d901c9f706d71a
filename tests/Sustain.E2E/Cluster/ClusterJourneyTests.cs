using Microsoft.Playwright;
using Sustain.Core.Tests.Corpus;
using Sustain.Testing.Fakes.GitHub;

namespace Sustain.E2E.Cluster;

/// <summary>
/// The whole journey of issue 9 through nginx over two instances on PostgreSQL: a company signs up,
/// uploads an SBOM, saves the suggested allocation and pledges it; the instance serving it is killed
/// on the checkout page and the payment goes through on the other. Then a maintainer of a project
/// the pledge funds claims it with GitHub, and the operator's payout run pays them.
/// </summary>
public sealed class ClusterJourneyTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Org = "initech";
    private const string Budget = "USD 12,000.00";

    [SkippableFact]
    public async Task A_company_pledges_through_a_stopped_instance_and_a_maintainer_it_funds_is_paid()
    {
        Skip.If(ClusterFixture.MissingReason is not null, ClusterFixture.MissingReason);
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        var company = await cluster.NewPageAsync();

        await SignUpWithAnOrganisationAsync(company);
        await UploadAnSbomAsync(company);
        await SaveTheSuggestionAsync(company);
        var funded = await PledgeThroughAStoppedInstanceAsync(company);
        await TheMaintainerIsPaidAsync(funded);
    }

    private static async Task SignUpWithAnOrganisationAsync(IPage page)
    {
        await page.GotoAsync("/account/register");
        await page.GetByLabel("Your name").FillAsync("Casey Cluster");
        await page.GetByLabel("Work email").FillAsync($"casey-{Guid.NewGuid():N}@example.com");
        await page.GetByLabel("Password").FillAsync("correct-horse-42");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/app");
        await BrowserFixture.WaitForInteractivityAsync(page);

        await page.GetByTestId("org-name").FillAsync("Initech");
        await page.GetByTestId("org-create").ClickAsync();
        await page.WaitForURLAsync($"**/app/{Org}");
    }

    private static async Task UploadAnSbomAsync(IPage page)
    {
        await page.GotoAsync($"/app/{Org}/upload");
        await BrowserFixture.WaitForInteractivityAsync(page);
        await page.GetByTestId("upload-new-product").FillAsync("Laravel shop");
        await page.Locator("input[type=file]").SetInputFilesAsync(CorpusFiles.PathOf("cyclonedx/bom-examples/laravel-7.12.0.bom.1.4.json"));
        await Assertions.Expect(page.GetByTestId("upload-result")).ToContainTextAsync("62", new() { Timeout = 60_000 });
        await BrowserFixture.ScreenshotAsync(page, "cluster-uploaded");
    }

    /// <summary>The upload queued a job that maps its packages to projects (from the SBOM's VCS references); the suggestion funds them once it has run.</summary>
    private static async Task SaveTheSuggestionAsync(IPage page)
    {
        await page.GotoAsync($"/app/{Org}/projects");
        await PayoutJourneyTests.ReloadUntilAsync(page, "[data-testid=project-row]");
        await page.GotoAsync($"/app/{Org}/suggest");
        await BrowserFixture.WaitForInteractivityAsync(page);
        await page.GetByTestId("whatif-budget").FillAsync("12000");
        await Assertions.Expect(page.GetByTestId("whatif-summary")).ToContainTextAsync(Budget);
        await Assertions.Expect(page.GetByTestId("share-row").Filter(new() { HasText = "github.com/" }).First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "cluster-suggest");

        await page.GetByTestId("snapshot-label").FillAsync("Cluster budget");
        await page.GetByTestId("save-snapshot").ClickAsync();
        await page.GetByTestId("snapshot-saved").GetByRole(AriaRole.Link, new() { Name = "Open it" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("snapshot-title")).ToHaveTextAsync("Cluster budget");
        await Assertions.Expect(page.GetByTestId("snapshot-budget")).ToHaveTextAsync(Budget);
    }

    /// <summary>Pledges the snapshot; between opening the checkout and paying, the instance that served it is killed. Returns a GitHub project the pledge funds.</summary>
    private async Task<string> PledgeThroughAStoppedInstanceAsync(IPage page)
    {
        await page.GetByTestId("pledge-snapshot").ClickAsync();
        await page.WaitForURLAsync("**/pledges/new?snapshot=*");
        await BrowserFixture.WaitForInteractivityAsync(page);
        var share = page.GetByTestId("pledge-shares").Locator("tbody tr code").Filter(new() { HasTextRegex = new("^github\\.com/[^/]+/[^/]+$") }).First;
        var funded = (await share.TextContentAsync())!.Trim();
        await page.GetByText($"One-off: {Budget} once").ClickAsync();
        await page.GetByTestId("pledge-confirm").ClickAsync();
        await page.WaitForURLAsync("**/checkout?session=cs_sim_*");
        await Assertions.Expect(page.GetByTestId("checkout-amount")).ToHaveTextAsync(Budget);
        var checkout = page.Url;

        var opened = await page.ReloadAsync();
        Assert.NotNull(opened);
        var first = cluster.ServedBy(opened);
        await first.KillAsync();

        // The dead circuit's reconnect logic may navigate the page too; take the document response of this navigation.
        var resumed = await page.RunAndWaitForResponseAsync(
            () => page.GotoAsync(checkout),
            r => r.Request.IsNavigationRequest && r.Url.Contains("/checkout?session=", StringComparison.Ordinal));
        Assert.True(resumed.Ok, $"After the stop the checkout answered {resumed.Status}.");
        Assert.NotSame(first, cluster.ServedBy(resumed));
        await BrowserFixture.WaitForInteractivityAsync(page);
        await Assertions.Expect(page.GetByTestId("checkout-amount")).ToHaveTextAsync(Budget);
        await BrowserFixture.ScreenshotAsync(page, "cluster-checkout-after-failover");
        await page.GetByTestId("checkout-pay").ClickAsync();

        await page.WaitForURLAsync("**/success");
        await Assertions.Expect(page.GetByTestId("checkout-success")).ToContainTextAsync("Your payment arrived");
        await Assertions.Expect(page.GetByTestId("pledge-status")).ToHaveTextAsync("Paid");
        await BrowserFixture.ScreenshotAsync(page, "cluster-pledge-paid");
        return funded;
    }

    private async Task TheMaintainerIsPaidAsync(string funded)
    {
        var github = cluster.GitHub;
        var parts = funded.Split('/');
        var maintainer = github.AddUser($"mai-{Guid.NewGuid():N}"[..12], name: "Morgan Maintainer", email: $"morgan-{Guid.NewGuid():N}@example.com");
        github.AddRepository(parts[1], parts[2], "A project the company's pledge funds").Grant(maintainer, GitHubPermission.Admin);
        var page = await SignInWithGitHubAsync(maintainer, "/maintainers");

        await page.GetByTestId("start-claim").ClickAsync();
        await page.GetByLabel("GitHub repository").FillAsync(funded);
        await page.GetByTestId("claim-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Your claim is verified.");

        // The escrow the pledge put on the project moves to its maintainer in a background job.
        await page.GotoAsync("/maintainers/payouts");
        await PayoutJourneyTests.ReloadUntilAsync(page, "[data-testid=incoming-row]");
        await Assertions.Expect(page.GetByTestId("incoming-row").Filter(new() { HasText = funded })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("balance")).Not.ToHaveTextAsync("USD 0.00");
        await page.GetByTestId("start-onboarding").ClickAsync();
        await page.GetByTestId("finish-onboarding").ClickAsync();
        await Assertions.Expect(page.GetByTestId("payouts-enabled")).ToBeVisibleAsync();

        var operatorUser = github.AddUser($"ops-{Guid.NewGuid():N}"[..12], name: "Olly Operator", email: ClusterFixture.OperatorEmail);
        var operations = await SignInWithGitHubAsync(operatorUser, "/ops/payouts");
        await operations.GetByTestId("run-payouts").ClickAsync();
        await Assertions.Expect(operations.GetByTestId("run-started")).ToBeVisibleAsync();

        await page.GotoAsync("/maintainers/payouts");
        await PayoutJourneyTests.ReloadUntilAsync(page, "[data-testid=payout-state][data-state=Paid]");
        await Assertions.Expect(page.GetByTestId("balance")).ToHaveTextAsync("USD 0.00");
        await BrowserFixture.ScreenshotAsync(page, "cluster-maintainer-paid");

        await operations.GotoAsync("/ops/payouts");
        await Assertions.Expect(operations.GetByTestId("count-Paid")).ToHaveTextAsync("1");
        await BrowserFixture.ScreenshotAsync(operations, "cluster-operator-payouts");
    }

    private async Task<IPage> SignInWithGitHubAsync(FakeGitHubUser user, string returnUrl)
    {
        cluster.GitHub.SignInAs(user);
        var page = await cluster.NewPageAsync();
        await page.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with GitHub" }).ClickAsync();
        await page.WaitForURLAsync($"**{returnUrl}");
        return page;
    }
}
