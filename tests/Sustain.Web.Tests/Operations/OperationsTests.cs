using System.Net;
using Microsoft.EntityFrameworkCore;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Operations;

public sealed class OperationsTests(SustainAppFactory app) : IClassFixture<SustainAppFactory>
{
    private const string UploadTemplate = "/api/v1/orgs/{org}/products/{product}/sboms";

    [Fact]
    public async Task The_app_runs_on_the_test_database_the_environment_chooses()
    {
        var expected = string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable))
            ? "Microsoft.EntityFrameworkCore.Sqlite"
            : "Npgsql.EntityFrameworkCore.PostgreSQL";

        var (provider, connection) = await app.QueryAsync(db => Task.FromResult((db.Database.ProviderName, db.Database.GetConnectionString())));

        Assert.Equal(expected, provider);
        Assert.Equal(app.DatabaseConnectionString, connection);
    }

    [Fact]
    public async Task Health_check_answers_200_when_the_database_is_reachable()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_document_is_json_describing_the_upload()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var document = await response.JsonAsync();
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var upload = document.GetProperty("paths").GetProperty(UploadTemplate).GetProperty("post");
        Assert.Equal("UploadSbom", upload.GetProperty("operationId").GetString());
        var bodyTypes = upload.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("multipart/form-data", bodyTypes);
        Assert.Contains("application/vnd.cyclonedx+json", bodyTypes);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/orgs/{org}/products", out _));
    }

    [Fact]
    public async Task Api_page_lists_the_upload_endpoint()
    {
        using var client = app.CreateClient();

        var html = await client.GetStringAsync(new Uri("/api", UriKind.Relative));

        var rows = Forms.Parse(html).QuerySelectorAll("table tr").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("POST", StringComparison.Ordinal) && r.Contains(UploadTemplate, StringComparison.Ordinal) && r.Contains("Upload an SBOM", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/css/sustain.css", "text/css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/img/sustain.svg", "image/svg+xml")]
    public async Task Static_assets_from_the_top_level_wwwroot_and_packages_are_served(string path, string mediaType)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
    }

    [Fact]
    public async Task Every_stylesheet_the_home_page_links_is_served()
    {
        using var client = app.CreateClient();
        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        var stylesheets = Forms.Parse(html).QuerySelectorAll("link[rel=stylesheet]").Select(l => l.GetAttribute("href")!).ToList();

        Assert.Contains(stylesheets, s => s.Contains("sustain", StringComparison.Ordinal));
        Assert.Contains(stylesheets, s => s.Contains("MudBlazor", StringComparison.Ordinal));
        foreach (var href in stylesheets)
        {
            using var response = await client.GetAsync(new Uri("/" + href.TrimStart('/'), UriKind.Relative));
            await response.AssertStatusAsync(HttpStatusCode.OK);
            Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/account/login")]
    [InlineData("/api/v1/orgs/nobody/products")]
    public async Task Responses_carry_the_security_headers(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_page_is_404_with_the_not_found_page()
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request);

        await response.AssertStatusAsync(HttpStatusCode.NotFound);
        Assert.Contains("Nothing here", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_api_path_is_a_404_problem()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative));

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_wrong_method_on_an_api_path_is_a_405_problem()
    {
        using var client = app.CreateClient();

        using var response = await client.DeleteAsync(new Uri("/api/v1/orgs/nobody/products", UriKind.Relative));

        await response.ProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Home_page_has_no_demo_hint_when_the_demo_is_not_seeded()
    {
        using var client = app.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("Fund the open source you depend on", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"demo-hint\"", html, StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"No {name} header on {response.RequestMessage?.RequestUri}");
}

public sealed class RateLimitTests : IDisposable
{
    private readonly SustainAppFactory _app = new() { Settings = { ["RateLimits:ApiRequestsPerMinute"] = "2" } };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Past_the_limit_the_api_answers_429_with_a_problem_and_retry_after()
    {
        var owner = await _app.CreateUserAsync();
        var organisation = await _app.CreateOrganisationAsync(owner.Id, "Busy");
        using var client = _app.CreateTokenClient(await _app.CreateTokenAsync(organisation, owner.Id, Sustain.Data.Organisations.ApiTokenScopes.SbomsRead));
        var path = new Uri($"/api/v1/orgs/{organisation.Slug}/products", UriKind.Relative);

        using var first = await client.GetAsync(path);
        using var second = await client.GetAsync(path);
        using var third = await client.GetAsync(path);

        await first.AssertStatusAsync(HttpStatusCode.OK);
        await second.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("2 API requests a minute", await third.ProblemAsync(HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
        var retryAfter = int.Parse(third.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
    }

    [Fact]
    public async Task The_health_check_is_not_limited()
    {
        using var client = _app.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            await response.AssertStatusAsync(HttpStatusCode.OK);
        }
    }
}
