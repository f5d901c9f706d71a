using System.Net;
using Sustain.Web.Tests.Infrastructure;

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

    [Fact]
    public async Task The_project_page_shows_facts_risk_reasons_funding_and_how_each_product_uses_it()
    {
        var owner = ProjectsAppFixture.Unique("paged");
        fixture.GitHub!.AddRepository(owner, "core")
            .AddFile(".github/FUNDING.yml", $"github: {owner}\n")
            .AddCommit("solo", DateTimeOffset.UtcNow.AddDays(-2))
            .AddRelease("v3.1.0", "solo", DateTimeOffset.UtcNow.AddDays(-30))
            .Stars = 987;
        var (user, browser, _) = await fixture.App.SignedInUserAsync();
        var organisation = await fixture.App.CreateOrganisationAsync(user.Id, "Project Page Org");
        await fixture.UploadAsync(organisation, user.Id, "storefront", [new TestComponent($"pkg:npm/{owner}-core@1.0.0", Vcs: $"https://github.com/{owner}/core")]);
        await fixture.UploadAsync(organisation, user.Id, "backoffice", [
            new TestComponent("pkg:npm/framework@2.0.0", Vcs: "https://github.com/framework/framework"),
            new TestComponent($"pkg:npm/{owner}-core@1.0.0", Vcs: $"https://github.com/{owner}/core", Direct: false),
        ]);
        await fixture.RunDueJobsAsync();

        using (browser)
        {
            var page = Forms.Parse(await browser.GetStringAsync($"/app/{organisation.Slug}/projects/github.com/{owner}/core"));

            Assert.Equal("987", page.QuerySelector("[data-testid=fact-stars]")?.TextContent);
            Assert.Equal("1", page.QuerySelector("[data-testid=fact-maintainers]")?.TextContent);
            Assert.Contains("Single maintainer", page.QuerySelector("[data-testid=risk-reasons]")?.TextContent, StringComparison.Ordinal);
            var funding = page.QuerySelector("[data-testid=funding-channel] a");
            Assert.Equal($"https://github.com/sponsors/{owner}", funding?.GetAttribute("href"));
            var uses = page.QuerySelectorAll("[data-testid=use]").Select(u => u.TextContent).ToList();
            Assert.Contains(uses, u => u.Contains("storefront", StringComparison.Ordinal) && u.Contains("direct", StringComparison.Ordinal));
            Assert.Contains(uses, u => u.Contains("backoffice", StringComparison.Ordinal) && u.Contains("transitive (depth 2)", StringComparison.Ordinal));
            Assert.Contains(page.QuerySelectorAll("[data-testid=use-path]"), p => p.TextContent.Contains("app → component-0 → component-1", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_risks_page_ranks_a_fragile_direct_dependency_above_a_healthy_one_with_its_reasons()
    {
        var fragile = ProjectsAppFixture.Unique("fragile");
        var healthy = ProjectsAppFixture.Unique("healthy");
        var now = DateTimeOffset.UtcNow;
        fixture.GitHub!.AddRepository(fragile, "lib").AddCommit("one", now.AddDays(-400)).Archived = true;
        fixture.GitHub.AddRepository(healthy, "lib").AddFile(".github/FUNDING.yml", "open_collective: healthy\n")
            .AddCommit("a", now.AddDays(-1)).AddCommit("b", now.AddDays(-2)).AddCommit("c", now.AddDays(-3)).AddRelease("v9", "a", now.AddDays(-5));
        var (user, browser, _) = await fixture.App.SignedInUserAsync();
        var organisation = await fixture.App.CreateOrganisationAsync(user.Id, "Risky Org");
        await fixture.UploadAsync(organisation, user.Id, "app", [
            new TestComponent($"pkg:npm/{healthy}@1.0.0", Vcs: $"https://github.com/{healthy}/lib"),
            new TestComponent($"pkg:npm/{fragile}@1.0.0", Vcs: $"https://github.com/{fragile}/lib"),
        ]);
        await fixture.RunDueJobsAsync();

        using (browser)
        {
            var page = Forms.Parse(await browser.GetStringAsync($"/app/{organisation.Slug}/risks"));

            var rows = page.QuerySelectorAll("[data-testid=risk-row]").ToList();
            Assert.Equal(2, rows.Count);
            Assert.Contains(fragile, rows[0].QuerySelector("[data-testid=risk-project]")?.TextContent, StringComparison.Ordinal);
            Assert.Contains("archived", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("direct in app", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Empty(rows[1].QuerySelectorAll("[data-testid=risk-reason]"));
            Assert.NotNull(page.QuerySelector("[data-testid=org-nav-risks]"));
        }
    }

    [Fact]
    public async Task An_outsider_gets_not_found_for_another_organisations_project_and_risks_pages()
    {
        var (organisation, _) = await fixture.OrganisationWithSbomAsync(new TestComponent("pkg:npm/private-core@1.0.0", Vcs: "https://github.com/private/core"));
        await fixture.ResolveAsync(organisation.Id);
        var (outsider, browser, _) = await fixture.App.SignedInUserAsync();
        await fixture.App.CreateOrganisationAsync(outsider.Id, "Nosy Org");

        using (browser)
        {
            foreach (var path in new[] { $"/app/{organisation.Slug}/projects/github.com/private/core", $"/app/{organisation.Slug}/risks" })
            {
                using var response = await browser.GetAsync(path);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.DoesNotContain("github.com/private/core", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_project_the_organisation_does_not_use_is_not_found()
    {
        var (user, browser, _) = await fixture.App.SignedInUserAsync();
        var organisation = await fixture.App.CreateOrganisationAsync(user.Id, "Empty Org");

        using (browser)
        {
            using var response = await browser.GetAsync($"/app/{organisation.Slug}/projects/github.com/not/used");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_projects_page_links_each_project_to_its_page_and_to_the_risks_page()
    {
        var (user, browser, _) = await fixture.App.SignedInUserAsync();
        var organisation = await fixture.App.CreateOrganisationAsync(user.Id, "Linking Org");
        await fixture.UploadAsync(organisation, user.Id, "app", [new TestComponent("pkg:npm/linked-lib@1.0.0", Vcs: "https://github.com/linked/lib")]);
        await fixture.ResolveAsync(organisation.Id);

        using (browser)
        {
            var page = Forms.Parse(await browser.GetStringAsync($"/app/{organisation.Slug}/projects"));

            Assert.Equal($"/app/{organisation.Slug}/projects/github.com/linked/lib", page.QuerySelector("[data-testid=project-link]")?.GetAttribute("href"));
            Assert.Equal($"/app/{organisation.Slug}/risks", page.QuerySelector("[data-testid=risks-link]")?.GetAttribute("href"));
            Assert.NotNull(page.QuerySelector("[data-testid=resolve-progress] [data-testid=job-progress]"));
        }
    }
}
