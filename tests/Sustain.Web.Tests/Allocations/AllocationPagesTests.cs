using System.Net;
using Sustain.Core;
using Sustain.Data.Organisations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Allocations;

/// <summary>The suggest, policy and snapshot pages as a browser first gets them (prerendered HTML).</summary>
public sealed class AllocationPagesTests(SustainAppFactory app) : IClassFixture<SustainAppFactory>
{
    [Fact]
    public async Task Suggest_page_shows_the_suggested_budget_the_split_and_what_was_left_out()
    {
        var scenario = await AllocationScenario.CreateAsync(app, headcount: 12);

        using var response = await scenario.Browser.GetAsync($"/app/{scenario.Slug}/suggest");
        await response.AssertStatusAsync(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("USD 24,000.00", html, StringComparison.Ordinal);
        Assert.Contains("12 developers", html, StringComparison.Ordinal);
        // Without a budget of its own the page starts from the suggestion: a third each.
        Assert.Contains("USD 8,000.00", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"allocation-chart\"", html, StringComparison.Ordinal);
        foreach (var project in new[] { scenario.ProjectA, scenario.ProjectB, scenario.ProjectC })
            Assert.Contains(project, html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"left-out\"", html, StringComparison.Ordinal);
        Assert.Contains("2 packages are not a project", html, StringComparison.Ordinal);
        Assert.Contains($"vendored-{scenario.Id}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suggest_page_without_sboms_says_what_to_do_first()
    {
        var (owner, browser, _) = await app.SignedInUserAsync();
        var organisation = await app.CreateOrganisationAsync(owner.Id, "Empty");

        var html = await browser.GetStringAsync($"/app/{organisation.Slug}/suggest");

        Assert.Contains("data-testid=\"suggest-empty\"", html, StringComparison.Ordinal);
        Assert.Contains($"/app/{organisation.Slug}/upload", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_page_explains_each_setting_and_is_read_only_for_members()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var (_, member) = await scenario.MemberAsync(app, OrganisationRole.Member);

        var owners = await scenario.Browser.GetStringAsync($"/app/{scenario.Slug}/policy");
        var members = await member.GetStringAsync($"/app/{scenario.Slug}/policy");

        foreach (var explanation in new[] { "USD 2,000 per developer per year", "part passed on", "How much each product counts", "you do not fund yourself", "one a line", "A pin fixes", "Widely used projects get more", "existing yearly funding", "Shares below this are dropped", "the excess is spread", "engineering hours" })
            Assert.Contains(explanation, owners, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"policy-save\"", owners, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"policy-readonly\"", members, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"policy-save\"", members, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_pages_list_the_snapshot_and_link_to_its_pledge_and_exports()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var id = await scenario.SaveSnapshotAsync(app, Money.Parse("300.00", Currency.USD), "FY2027 budget");

        var list = await scenario.Browser.GetStringAsync($"/app/{scenario.Slug}/snapshots");
        var detail = await scenario.Browser.GetStringAsync($"/app/{scenario.Slug}/snapshots/{id}");

        Assert.Contains("FY2027 budget", list, StringComparison.Ordinal);
        Assert.Contains("USD 300.00", list, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/{scenario.Slug}/snapshots/{id}\"", list, StringComparison.Ordinal);
        Assert.Contains($"/app/{scenario.Slug}/pledges/new?snapshot={id}", list, StringComparison.Ordinal);
        Assert.Contains($"/app/{scenario.Slug}/pledges/new?snapshot={id}", detail, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/orgs/{scenario.Slug}/snapshots/{id}/allocation.csv", detail, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/orgs/{scenario.Slug}/snapshots/{id}/sponsors.csv", detail, StringComparison.Ordinal);
        Assert.Contains("USD 100.00", detail, StringComparison.Ordinal);
        Assert.Contains(scenario.ProjectC, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_list_without_snapshots_says_how_to_make_one()
    {
        var scenario = await AllocationScenario.CreateAsync(app);

        var html = await scenario.Browser.GetStringAsync($"/app/{scenario.Slug}/snapshots");

        Assert.Contains("data-testid=\"snapshots-empty\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/suggest")]
    [InlineData("/policy")]
    [InlineData("/snapshots")]
    [InlineData("/snapshots/{id}")]
    public async Task A_member_of_another_organisation_gets_the_not_found_page(string page)
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var id = await scenario.SaveSnapshotAsync(app, Money.Parse("30.00", Currency.USD), "Secret snapshot");
        var (outsider, browser, _) = await app.SignedInUserAsync("Outsider");
        await app.CreateOrganisationAsync(outsider.Id, "Elsewhere");

        using var response = await browser.GetAsync($"/app/{scenario.Slug}{page.Replace("{id}", id.ToString(), StringComparison.Ordinal)}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(scenario.Organisation.Name, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret snapshot", html, StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.ProjectA, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_organisations_snapshot_id_is_not_found_even_for_a_member_of_this_one()
    {
        var scenario = await AllocationScenario.CreateAsync(app);
        var other = await AllocationScenario.CreateAsync(app);
        var theirs = await other.SaveSnapshotAsync(app, Money.Parse("30.00", Currency.USD), "Their snapshot");

        using var response = await scenario.Browser.GetAsync($"/app/{scenario.Slug}/snapshots/{theirs}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Their snapshot", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
