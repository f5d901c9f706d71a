using System.Net;

namespace Sustain.Web.Tests.Projects;

/// <summary>The projects page as a browser gets it (prerendered HTML): members see the organisation's projects, nobody else learns it exists.</summary>
public sealed class ProjectsPageTests(ProjectsAppFixture fixture) : IClassFixture<ProjectsAppFixture>
{
    [Fact]
    public async Task Owner_sees_projects_with_their_packages_and_unresolved_packages_with_the_reason_and_the_map_form()
    {
        var (user, browser, _) = await fixture.App.SignedInUserAsync();
        var organisation = await fixture.App.CreateOrganisationAsync(user.Id, "Page Org");
        var missing = ProjectsAppFixture.Unique("page-missing");
        await fixture.UploadAsync(organisation, user.Id, "storefront", [
            new TestComponent("pkg:npm/page-lib@1.0.0", Vcs: "https://github.com/page/lib"),
            new TestComponent($"pkg:npm/{missing}@1.0.0", Direct: false),
        ]);
        await fixture.ResolveAsync(organisation.Id);

        using (browser)
        {
            var html = await browser.GetStringAsync($"/app/{organisation.Slug}/projects");

            Assert.Contains("github.com/page/lib", html, StringComparison.Ordinal);
            Assert.Contains("storefront", html, StringComparison.Ordinal);
            Assert.Contains("Not found on the registry", html, StringComparison.Ordinal);
            Assert.Contains(missing, html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"map-form\"", html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"resolve-now\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Member_of_another_organisation_gets_the_not_found_page()
    {
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(new TestComponent("pkg:npm/secret-lib@1.0.0", Vcs: "https://github.com/secret/lib"));
        await fixture.ResolveAsync(organisation.Id);
        var (outsider, browser, _) = await fixture.App.SignedInUserAsync();
        await fixture.App.CreateOrganisationAsync(outsider.Id, "Outsider Org");

        using (browser)
        {
            using var response = await browser.GetAsync($"/app/{organisation.Slug}/projects");
            var html = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("github.com/secret/lib", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_sign_in()
    {
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(new TestComponent("pkg:npm/hidden-lib@1.0.0", Vcs: "https://github.com/hidden/lib"));
        using var browser = fixture.App.CreateBrowser();

        using var response = await browser.GetAsync($"/app/{organisation.Slug}/projects");
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("github.com/hidden/lib", html, StringComparison.Ordinal);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect || html.Contains("/account/login", StringComparison.Ordinal), $"{response.StatusCode}: no way to sign in");
    }

    [Fact]
    public async Task Overview_links_to_the_projects_page()
    {
        var (user, browser, _) = await fixture.App.SignedInUserAsync();
        var organisation = await fixture.App.CreateOrganisationAsync(user.Id, "Linked Org");

        using (browser)
        {
            var html = await browser.GetStringAsync($"/app/{organisation.Slug}");

            Assert.Contains($"href=\"/app/{organisation.Slug}/projects\"", html, StringComparison.Ordinal);
        }
    }
}
