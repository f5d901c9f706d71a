using System.Net;
using Sustain.Data.Organisations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Organisations;

/// <summary>The organisation pages as a browser gets them (prerendered HTML): members see them, nobody else learns the organisation exists.</summary>
public sealed class OrganisationPagesTests(OrganisationsAppFactory app) : IClassFixture<OrganisationsAppFactory>
{
    public static TheoryData<string> Pages => new() { "", "/settings", "/members", "/tokens" };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Member_of_another_organisation_gets_the_not_found_page(string page)
    {
        var organisation = await app.CreateOrganisationAsync(await app.CreateUserAsync(displayName: "owner"));
        var outsider = await app.CreateUserAsync(displayName: "outsider");
        await app.CreateOrganisationAsync(outsider);
        using var browser = app.CreateBrowser();
        await OrganisationsAppFactory.SignInAsync(browser, outsider);

        using var response = await browser.GetAsync($"/app/{organisation.Slug}{page}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Nothing here", html, StringComparison.Ordinal);
        Assert.DoesNotContain(organisation.Name, html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Anonymous_visitor_is_sent_to_sign_in(string page)
    {
        var organisation = await app.CreateOrganisationAsync(await app.CreateUserAsync(displayName: "owner"));
        using var browser = app.CreateBrowser();

        using var response = await browser.GetAsync($"/app/{organisation.Slug}{page}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain(organisation.Name, html, StringComparison.Ordinal);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect || html.Contains("/account/login", StringComparison.Ordinal), $"{response.StatusCode}: no way to sign in");
    }

    [Fact]
    public async Task Overview_without_products_explains_the_three_ways_to_upload()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var organisation = await app.CreateOrganisationAsync(owner);
        using var browser = app.CreateBrowser();
        await OrganisationsAppFactory.SignInAsync(browser, owner);

        var html = await browser.GetStringAsync($"/app/{organisation.Slug}");

        Assert.Contains("data-testid=\"empty-products\"", html, StringComparison.Ordinal);
        Assert.Contains($"api/v1/orgs/{organisation.Slug}/products/", html, StringComparison.Ordinal);
        Assert.Contains($"sustain upload bom.json --server", html, StringComparison.Ordinal);
        Assert.Contains($"--org {organisation.Slug}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Member_sees_settings_read_only_and_no_tokens()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var member = await app.CreateUserAsync(displayName: "member");
        var organisation = await app.CreateOrganisationAsync(owner, (member, OrganisationRole.Member));
        using var browser = app.CreateBrowser();
        await OrganisationsAppFactory.SignInAsync(browser, member);

        var settings = await browser.GetStringAsync($"/app/{organisation.Slug}/settings");
        var tokens = await browser.GetStringAsync($"/app/{organisation.Slug}/tokens");

        Assert.Contains("data-testid=\"settings-readonly\"", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"settings-save\"", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"org-nav-tokens\"", settings, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"tokens-admins-only\"", tokens, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switcher_lists_each_organisation_of_the_user()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var first = await app.CreateOrganisationAsync(owner);
        var second = await app.CreateOrganisationAsync(owner);
        var notMine = await app.CreateOrganisationAsync(await app.CreateUserAsync(displayName: "stranger"));
        using var browser = app.CreateBrowser();
        await OrganisationsAppFactory.SignInAsync(browser, owner);

        var html = await browser.GetStringAsync($"/app/{first.Slug}/members");

        Assert.Contains("data-testid=\"org-switcher\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/{second.Slug}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(notMine.Slug, html, StringComparison.Ordinal);
    }
}
