using Microsoft.Playwright;
using Sustain.Core.Tests.Corpus;

namespace Sustain.E2E.Cluster;

/// <summary>The journey through nginx over two instances on PostgreSQL, with one instance stopped half way.</summary>
public sealed class ClusterJourneyTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [SkippableFact]
    public async Task A_user_carries_on_through_the_other_instance_when_theirs_stops()
    {
        Skip.If(ClusterFixture.MissingReason is not null, ClusterFixture.MissingReason);
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        var page = await cluster.NewPageAsync();

        await page.GotoAsync("/account/register");
        await page.GetByLabel("Your name").FillAsync("Casey Cluster");
        await page.GetByLabel("Work email").FillAsync($"casey-{Guid.NewGuid():N}@example.com");
        await page.GetByLabel("Password").FillAsync("correct-horse-42");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/app");
        await BrowserFixture.WaitForInteractivityAsync(page);

        await page.GetByTestId("org-name").FillAsync("Initech");
        await page.GetByTestId("org-create").ClickAsync();
        await page.WaitForURLAsync("**/app/initech");

        await page.GotoAsync("/app/initech/upload");
        await BrowserFixture.WaitForInteractivityAsync(page);
        await page.GetByTestId("upload-new-product").FillAsync("Laravel shop");
        await page.Locator("input[type=file]").SetInputFilesAsync(CorpusFiles.PathOf("cyclonedx/bom-examples/laravel-7.12.0.bom.1.4.json"));
        await Assertions.Expect(page.GetByTestId("upload-result")).ToContainTextAsync("62", new() { Timeout = 60_000 });

        var before = await page.GotoAsync("/app/initech");
        Assert.NotNull(before);
        var first = cluster.ServedBy(before);
        await first.KillAsync();

        // The same browser, signed in, on the surviving instance: the cookie, the organisation and the upload are all there.
        // The dead circuit's reconnect logic may navigate the page too; take the document response of this navigation.
        var after = await page.RunAndWaitForResponseAsync(
            () => page.GotoAsync("/app/initech/products/laravel-shop/dependencies"),
            r => r.Request.IsNavigationRequest && r.Url.EndsWith("/dependencies", StringComparison.Ordinal));
        Assert.True(after.Ok, $"After the stop the page answered {after.Status}.");
        Assert.NotSame(first, cluster.ServedBy(after));
        await BrowserFixture.WaitForInteractivityAsync(page);
        await page.GetByTestId("deps-search").FillAsync("polyfill-php80");
        var rows = page.GetByTestId("deps-table").Locator("tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasText = "polyfill-php80" })).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "cluster-after-failover");
    }
}
