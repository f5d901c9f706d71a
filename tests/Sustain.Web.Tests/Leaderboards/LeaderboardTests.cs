using System.Net;
using System.Net.Http.Json;
using Sustain.Web.Leaderboards;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Leaderboards;

public sealed class LeaderboardTests
{
    [Fact]
    public async Task Companies_are_ranked_by_what_they_gave_in_the_window_with_their_figures()
    {
        await using var app = LeaderboardDataset.App();
        await LeaderboardDataset.CreateAsync(app);
        using var client = app.CreateClient();

        var data = await client.GetFromJsonAsync<CompaniesData>("/api/v1/public/leaderboards/companies");

        Assert.NotNull(data);
        Assert.Equal("USD", data.Currency);
        Assert.Equal(200_000, data.BenchmarkPerDeveloperMinor);
        Assert.Equal(
            [
                new CompanyRow(1, "initech", "Initech", 2_000_000, 4, 500_000, 2.5, 2, 1, 0.5, 1, 2),
                new CompanyRow(2, "globex", "Globex", 1_500_000, 10, 150_000, 0.75, 3, 2, 0.6667, 2, 2),
            ],
            data.Companies);
        Assert.Equal(new OtherOrganisations(1, 300_000), data.OtherOrganisations);
    }

    [Fact]
    public async Task Projects_are_ranked_by_funding_and_the_critical_unfunded_by_reliance_then_dependents()
    {
        await using var app = LeaderboardDataset.App();
        await LeaderboardDataset.CreateAsync(app);
        using var client = app.CreateClient();

        var data = await client.GetFromJsonAsync<ProjectsData>("/api/v1/public/leaderboards/projects");

        Assert.NotNull(data);
        Assert.Equal(
            [
                new ProjectRow(1, LeaderboardDataset.Alpha, 3_000_000, 2, 3, null, 2),
                new ProjectRow(2, LeaderboardDataset.Beta, 800_000, 2, 1, null, 1),
            ],
            data.MostFunded);
        Assert.Equal(
            [
                new ProjectRow(1, LeaderboardDataset.Gamma, 0, 0, 4, null, 0),
                new ProjectRow(2, LeaderboardDataset.Delta, 0, 0, 0, 500, 0),
            ],
            data.CriticalUnfunded);
    }

    [Fact]
    public async Task The_pages_show_the_rankings_and_the_anonymous_total()
    {
        await using var app = LeaderboardDataset.App();
        await LeaderboardDataset.CreateAsync(app);
        using var client = app.CreateClient();

        var companies = await client.GetStringAsync("/leaderboards/companies");
        Assert.True(companies.IndexOf("Initech", StringComparison.Ordinal) < companies.IndexOf("Globex", StringComparison.Ordinal), "Initech gave more, so comes first");
        Assert.Contains("USD 20,000", companies, StringComparison.Ordinal);
        Assert.Contains("250% of benchmark", companies, StringComparison.Ordinal);
        Assert.Contains("And 1 organisation more gave USD 3,000 without being named.", companies, StringComparison.Ordinal);

        var projects = await client.GetStringAsync("/leaderboards/projects");
        Assert.Contains(LeaderboardDataset.Gamma, projects, StringComparison.Ordinal);

        var profile = await client.GetStringAsync("/companies/globex");
        Assert.Contains("USD 15,000", profile, StringComparison.Ordinal);
        Assert.Contains("<svg", profile, StringComparison.Ordinal);
        Assert.Contains(LeaderboardDataset.Alpha, profile, StringComparison.Ordinal);

        var project = await client.GetStringAsync($"/projects/{LeaderboardDataset.Alpha}");
        Assert.Contains("USD 30,000", project, StringComparison.Ordinal);
        Assert.Contains("alpha-one", project, StringComparison.Ordinal);
        var gamma = await client.GetStringAsync($"/projects/{LeaderboardDataset.Gamma}");
        Assert.DoesNotContain("gamma-pending", gamma, StringComparison.Ordinal);
        AssertEscrowSaidOnce(gamma, "EUR 70,000.00");
    }

    /// <summary>Gamma has no verified maintainer and money in escrow: one notice says so, with a link to claim it, and nothing else on the page repeats it.</summary>
    private static void AssertEscrowSaidOnce(string html, string amount)
    {
        var page = Forms.Parse(html);
        var notice = Assert.Single(page.QuerySelectorAll("[data-testid=escrow-waiting]"));
        Assert.Contains($"{amount} waiting for its maintainers", notice.TextContent, StringComparison.Ordinal);
        var link = Assert.Single(notice.QuerySelectorAll("a"));
        Assert.Equal("/maintainers/claim", link.GetAttribute("href"));
        Assert.Contains("mud-primary-text", link.ClassList);
        notice.Remove();
        Assert.DoesNotMatch("(?i)escrow|\\bwait", page.Body!.TextContent);
    }

    [Fact]
    public async Task An_organisation_that_did_not_opt_in_is_never_named_in_pages_badges_or_data()
    {
        await using var app = LeaderboardDataset.App();
        var dataset = await LeaderboardDataset.CreateAsync(app);
        using var client = app.CreateClient();

        string[] everywhere =
        [
            "/leaderboards/companies", "/leaderboards/projects", $"/projects/{LeaderboardDataset.Alpha}", $"/projects/{LeaderboardDataset.Beta}",
            "/companies/globex", "/api/v1/public/leaderboards/companies", "/api/v1/public/leaderboards/companies.csv",
            "/api/v1/public/leaderboards/projects", "/api/v1/public/leaderboards/projects.csv", "/badges/projects/github.com/lib/beta.svg",
        ];
        foreach (var path in everywhere)
        {
            var body = await client.GetStringAsync(path);
            Assert.DoesNotContain("Hushco", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(dataset.Hushco.Slug, body, StringComparison.Ordinal);
            Assert.DoesNotContain(dataset.Hushco.Id.ToString(), body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("hush-internal", body, StringComparison.Ordinal);
        }

        using var internalPage = await client.GetAsync($"/projects/{LeaderboardDataset.Internal}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, internalPage.StatusCode);

        var beta = await client.GetStringAsync($"/projects/{LeaderboardDataset.Beta}");
        Assert.Contains("1 organisation not named", beta, StringComparison.Ordinal);

        using var page = await client.GetAsync("/companies/hushco-secret");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        // The not-found page echoes the address asked for, and nothing else of the organisation.
        Assert.DoesNotContain(LeaderboardDataset.PrivateName, await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        var badge = await client.GetStringAsync("/badges/companies/hushco-secret.svg");
        Assert.Contains("not public", badge, StringComparison.Ordinal);
        Assert.DoesNotContain("3,000", badge, StringComparison.Ordinal);
        Assert.Equal(badge, await client.GetStringAsync("/badges/companies/no-such-organisation.svg"));
    }

    [Fact]
    public async Task Badges_show_a_public_organisations_and_a_projects_funding_with_cache_headers()
    {
        await using var app = LeaderboardDataset.App();
        await LeaderboardDataset.CreateAsync(app);
        using var client = app.CreateClient();

        using var company = await client.GetAsync("/badges/companies/initech.svg");
        Assert.Equal("image/svg+xml", company.Content.Headers.ContentType?.MediaType);
        Assert.Contains("public", company.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains("USD 20,000 / year", await company.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Contains("USD 30,000 / year by 2 organisations", await client.GetStringAsync($"/badges/projects/{LeaderboardDataset.Alpha}.svg"), StringComparison.Ordinal);
        Assert.Contains("not funded yet", await client.GetStringAsync($"/badges/projects/{LeaderboardDataset.Gamma}.svg"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_data_comes_as_csv_and_a_bad_limit_is_refused_with_a_reason()
    {
        await using var app = LeaderboardDataset.App();
        await LeaderboardDataset.CreateAsync(app);
        using var client = app.CreateClient();

        var csv = (await client.GetStringAsync("/api/v1/public/leaderboards/companies.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("1,initech,Initech,USD,2000000,4,500000,2.5,", csv[1], StringComparison.Ordinal);
        Assert.Equal(",,1 other organisations,USD,300000,,,,,,,,", csv[3]);

        var projects = await client.GetStringAsync("/api/v1/public/leaderboards/projects.csv?limit=1");
        Assert.Contains($"most-funded,1,{LeaderboardDataset.Alpha},USD,3000000,2,3,,2", projects, StringComparison.Ordinal);
        Assert.DoesNotContain(LeaderboardDataset.Beta, projects, StringComparison.Ordinal);

        using var bad = await client.GetAsync("/api/v1/public/leaderboards/companies?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("limit must be between 1 and", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_open_data_is_described_in_the_openapi_document()
    {
        await using var app = LeaderboardDataset.App();
        using var client = app.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/public/leaderboards/companies", document, StringComparison.Ordinal);
        Assert.Contains("/api/v1/public/leaderboards/projects.csv", document, StringComparison.Ordinal);
        Assert.Contains("Only organisations that opted in are named", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_readers_are_served_from_the_output_cache_and_signed_in_readers_are_not()
    {
        await using var app = LeaderboardDataset.App(cacheSeconds: 60);
        await LeaderboardDataset.CreateAsync(app);
        using var client = app.CreateClient();

        using var first = await client.GetAsync("/leaderboards/companies");
        using var second = await client.GetAsync("/leaderboards/companies");
        Assert.False(first.Headers.Contains("Set-Cookie"), "a cached public page sets no cookie");
        Assert.True(second.Headers.Age is not null, "the second anonymous request is answered from the cache");

        var (_, browser, _) = await app.SignedInUserAsync();
        using var signedIn = await browser.GetAsync("/leaderboards/companies");
        Assert.Null(signedIn.Headers.Age);
        Assert.Contains("Sign out", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
