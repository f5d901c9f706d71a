using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Organisations;
using Sustain.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sustain.Web.Tests.Security;

/// <summary>
/// Invariant 5: an organisation's private data is visible only to its members. Every endpoint the app
/// maps (API, pages, anything added later) is called as an anonymous visitor, as a signed-in member of
/// another organisation, and with another organisation's token, with its route filled in with the
/// victim's real names and ids. No answer may carry the victim's data, and an organisation's routes
/// must refuse (any status but 2xx); nothing the outsiders send may change the victim's data.
/// </summary>
public sealed class CrossOrganisationAccessTests(SustainAppFactory app, ITestOutputHelper output) : IClassFixture<SustainAppFactory>
{
    private static readonly string[] FrameworkPrefixes = ["/_blazor", "/_framework", "/_content"];

    [Fact]
    public async Task No_endpoint_shows_or_changes_an_organisations_data_for_an_outsider()
    {
        var victim = await VictimOrganisation.CreateAsync(app);
        var outsiders = await OutsidersAsync();
        var endpoints = MappedEndpoints();
        Assert.Contains(endpoints, e => e.Method == "POST" && e.Template == "/api/v1/orgs/{org}/products/{product}/sboms");
        Assert.Contains(endpoints, e => e.Method == "GET" && e.Template.StartsWith("/app", StringComparison.Ordinal));
        foreach (var snapshotRoute in new[] { "/api/v1/orgs/{org}/snapshots/{id:guid}", "/api/v1/orgs/{org}/snapshots/{id:guid}/allocation.csv", "/api/v1/orgs/{org}/snapshots/{id:guid}/sponsors.csv", "/app/{Org}/snapshots/{Id:guid}" })
            Assert.Contains(endpoints, e => e.Template == snapshotRoute);
        Assert.Contains(endpoints, e => e.Template == "/app/{Org}/projects/{**Key}");
        Assert.Contains(endpoints, e => e.Template == "/app/{Org}/risks");
        foreach (var pledgeRoute in new[] { "/app/{Org}/pledges", "/app/{Org}/pledges/{PledgeId:guid}", "/app/{Org}/receipts/{PaymentId:guid}", "/app/{Org}/statements/{Year:int}", "/app/{org}/ledger.csv" })
            Assert.Contains(endpoints, e => e.Template == pledgeRoute);
        var before = await victim.SnapshotAsync(app);

        using var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var failures = new List<string>();
        var calls = 0;
        foreach (var endpoint in endpoints)
        {
            foreach (var url in endpoint.Urls(victim))
            {
                foreach (var outsider in outsiders)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), url);
                    outsider.Apply(request);
                    if (endpoint.Method is "POST" or "PUT" or "PATCH")
                        request.Content = new StringContent(SbomFixtures.CycloneDxJson("outsider"), Encoding.UTF8, "application/json");
                    using var response = await client.SendAsync(request);
                    calls++;
                    var body = await response.Content.ReadAsStringAsync();
                    var answer = $"{response.Headers.Location} {body}";
                    var where = $"{endpoint.Method} {url} as {outsider.Name}: {(int)response.StatusCode}";
                    if (victim.Markers.FirstOrDefault(m => answer.Contains(m, StringComparison.OrdinalIgnoreCase)) is { } leaked)
                        failures.Add($"{where} shows the victim's '{leaked}'");
                    if (endpoint.IsOrganisationRoute && response.IsSuccessStatusCode)
                        failures.Add($"{where} answers success for another organisation's route");
                    if ((int)response.StatusCode >= 500)
                        failures.Add($"{where} fails with a server error");
                }
            }
        }

        output.WriteLine($"{calls} calls over {endpoints.Count} endpoints:");
        foreach (var endpoint in endpoints)
            output.WriteLine($"  {endpoint.Method} {endpoint.Template}{(endpoint.IsOrganisationRoute ? " (organisation)" : "")}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(before, await victim.SnapshotAsync(app));
    }

    [Fact]
    public async Task The_victims_own_token_and_session_do_see_the_markers_the_outsiders_must_not()
    {
        // Proves the check above can see a leak: the same requests as the owner show the markers.
        var victim = await VictimOrganisation.CreateAsync(app);
        using var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

        using var products = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orgs/{victim.Slug}/products");
        products.Headers.Authorization = new AuthenticationHeaderValue("Bearer", victim.Token);
        using var productsResponse = await client.SendAsync(products);
        Assert.Contains(victim.Marker, await productsResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var snapshot = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orgs/{victim.Slug}/snapshots/{victim.SnapshotId}/allocation.csv");
        snapshot.Headers.Authorization = new AuthenticationHeaderValue("Bearer", victim.Token);
        using var snapshotResponse = await client.SendAsync(snapshot);
        Assert.Contains(victim.Marker, await snapshotResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var page in new[] { $"/app/{victim.Slug}/projects/{victim.ProjectKey}", $"/app/{victim.Slug}/risks" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, page);
            request.Headers.Add("Cookie", victim.Cookie);
            using var response = await client.SendAsync(request);
            await response.AssertStatusAsync(HttpStatusCode.OK);
            Assert.Contains(victim.Marker, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var receipt = new HttpRequestMessage(HttpMethod.Get, $"/app/{victim.Slug}/receipts/{victim.PaymentId}");
        receipt.Headers.Add("Cookie", victim.Cookie);
        using var receiptResponse = await client.SendAsync(receipt);
        Assert.Contains(victim.ReceiptNumber, await receiptResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var csv = new HttpRequestMessage(HttpMethod.Get, $"/app/{victim.Slug}/ledger.csv");
        csv.Headers.Add("Cookie", victim.Cookie);
        using var csvResponse = await client.SendAsync(csv);
        Assert.Contains(victim.ReceiptNumber, await csvResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var dashboard = new HttpRequestMessage(HttpMethod.Get, "/app");
        dashboard.Headers.Add("Cookie", victim.Cookie);
        using var dashboardResponse = await client.SendAsync(dashboard);
        await dashboardResponse.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(victim.Marker, await dashboardResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<List<Outsider>> OutsidersAsync()
    {
        var (user, _, cookie) = await app.SignedInUserAsync("Outsider");
        var organisation = await app.CreateOrganisationAsync(user.Id, "Outsiders");
        var token = await app.CreateTokenAsync(organisation, user.Id, ApiTokenScopes.SbomsRead | ApiTokenScopes.SbomsWrite);
        using (var tokenClient = app.CreateTokenClient(token))
            await (await tokenClient.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "crown-jewels"), SbomFixtures.Body(SbomFixtures.CycloneDxJson("outsider")))).AssertStatusAsync(HttpStatusCode.Created);
        return
        [
            new Outsider("an anonymous visitor", _ => { }),
            new Outsider("a member of another organisation", r => r.Headers.Add("Cookie", cookie)),
            new Outsider("another organisation's token", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token)),
        ];
    }

    private List<MappedEndpoint> MappedEndpoints()
    {
        var sources = app.Services.GetRequiredService<EndpointDataSource>();
        return sources.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
            .Where(e => !FrameworkPrefixes.Any(p => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Where(m => m is not ("HEAD" or "OPTIONS"))
                .Select(m => new MappedEndpoint(m, e.RoutePattern, e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)))
            .DistinctBy(e => (e.Method, e.Template))
            .OrderBy(e => e.Template, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();
    }

    private sealed record Outsider(string Name, Action<HttpRequestMessage> Apply);

    private sealed record MappedEndpoint(string Method, RoutePattern Pattern, bool IsPage)
    {
        public string Template => "/" + Pattern.RawText?.TrimStart('/');

        public bool IsOrganisationRoute => Pattern.Parameters.Any(p => p.Name.Equals("org", StringComparison.OrdinalIgnoreCase));

        /// <summary>The route filled in with the victim's names and ids; a parameter of unknown meaning is tried with each of its ids.</summary>
        public IEnumerable<string> Urls(VictimOrganisation victim)
        {
            var choices = Pattern.Parameters.ToDictionary(p => p.Name, p => victim.ValuesFor(p.Name));
            var combinations = choices.Aggregate(
                (IEnumerable<Dictionary<string, string>>)[new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)],
                (partial, choice) => partial.SelectMany(values => choice.Value.Select(v => new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase) { [choice.Key] = v })));
            return combinations.Take(25).Select(Fill);
        }

        private string Fill(Dictionary<string, string> values)
        {
            var path = new StringBuilder();
            foreach (var segment in Pattern.PathSegments)
            {
                path.Append('/');
                foreach (var part in segment.Parts)
                {
                    path.Append(part switch
                    {
                        RoutePatternLiteralPart literal => literal.Content,
                        RoutePatternSeparatorPart separator => separator.Content,
                        RoutePatternParameterPart parameter => Uri.EscapeDataString(values[parameter.Name]),
                        _ => "",
                    });
                }
            }

            return path.Length == 0 ? "/" : path.ToString();
        }
    }
}
