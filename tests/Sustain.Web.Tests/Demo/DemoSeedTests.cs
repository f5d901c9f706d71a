using System.Net;
using Microsoft.EntityFrameworkCore;
using Sustain.Data.Sboms;
using Sustain.Web.Demo;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Demo;

public sealed class DemoSeedTests : IDisposable
{
    private readonly SustainAppFactory _app = new() { Settings = { ["Demo:Seed"] = "true" } };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_fresh_database_gets_the_demo_organisation_with_two_ready_products()
    {
        var products = await _app.QueryAsync(db => db.Products
            .Where(p => p.Organisation!.Slug == DemoData.OrganisationSlug)
            .Select(p => new { p.Slug, Current = db.SbomUploads.Single(u => u.Id == p.CurrentUploadId) })
            .ToListAsync());

        Assert.Equal(["fleet-api", "storefront"], products.Select(p => p.Slug).Order(StringComparer.Ordinal));
        Assert.All(products, p =>
        {
            Assert.Equal(SbomUploadState.Ready, p.Current.State);
            Assert.True(p.Current.ComponentCount > 0);
        });
    }

    [Fact]
    public async Task The_home_page_shows_the_demo_hint_and_the_demo_user_can_sign_in()
    {
        using var browser = _app.CreateBrowser();

        var home = Forms.Parse(await browser.GetStringAsync(new Uri("/", UriKind.Relative)));
        var hint = home.QuerySelector("[data-testid=demo-hint]");
        Assert.NotNull(hint);
        Assert.Contains("demo@sustain.example", hint.TextContent, StringComparison.Ordinal);

        using var signIn = await Forms.SubmitAsync(browser, "/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = "demo@sustain.example",
            ["Input.Password"] = "sustain-demo-2026",
        });
        await signIn.AssertStatusAsync(HttpStatusCode.Redirect);
        Assert.Contains("Acme Robotics", await browser.GetStringAsync(new Uri("/app", UriKind.Relative)), StringComparison.Ordinal);
    }
}
