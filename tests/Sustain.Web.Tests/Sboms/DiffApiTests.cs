using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sustain.Web.Tests.Sboms;

public sealed class DiffApiTests(SbomsAppFactory app) : IClassFixture<SbomsAppFactory>
{
    private const string Product = $"/api/v1/orgs/{SbomsAppFactory.Org}/products/diffed";

    private static readonly byte[] Before = TestSboms.CycloneDx(
        ["left-pad", "bytes", "widget"],
        new TestComponent("left-pad", "1.0.0", "pkg:npm/left-pad@1.0.0"),
        new TestComponent("bytes", "3.1.2", "pkg:npm/bytes@3.1.2"),
        new TestComponent("widget", "1"),
        new TestComponent("ms", "2.1.3", "pkg:npm/ms@2.1.3"));

    private static readonly byte[] After = TestSboms.CycloneDx(
        ["left-pad", "chalk", "widget"],
        new TestComponent("left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0"),
        new TestComponent("chalk", "5.3.0", "pkg:npm/chalk@5.3.0"),
        new TestComponent("widget", "2"),
        new TestComponent("ms", "2.1.3", "pkg:npm/ms@2.1.3"));

    private async Task<(HttpClient Client, string From, string To)> GivenTwoUploadsAsync()
    {
        var client = app.CreateTokenClient(app.Token);
        var from = (await TestSboms.UploadAsync(client, "diffed", Before)).GetProperty("id").GetString()!;
        var to = (await TestSboms.UploadAsync(client, "diffed", After)).GetProperty("id").GetString()!;
        return (client, from, to);
    }

    private static List<string> Names(JsonElement diff, string list) => diff.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task Lists_packages_added_removed_and_at_another_version()
    {
        var (client, from, to) = await GivenTwoUploadsAsync();
        using var _ = client;

        var diff = await TestSboms.GetJsonAsync(client, $"{Product}/diff?from={from}&to={to}");

        Assert.Equal(["chalk"], Names(diff, "added"));
        Assert.Equal(["bytes"], Names(diff, "removed"));
        Assert.Equal(["left-pad", "widget"], Names(diff, "changed"));
        Assert.Equal(1, diff.GetProperty("unchanged").GetInt32());
        var leftPad = diff.GetProperty("changed")[0];
        Assert.Equal("pkg:npm/left-pad", leftPad.GetProperty("package").GetString());
        Assert.Equal(["1.0.0"], leftPad.GetProperty("fromVersions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["1.3.0"], leftPad.GetProperty("toVersions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Reversing_the_uploads_swaps_added_and_removed()
    {
        var (client, from, to) = await GivenTwoUploadsAsync();
        using var _ = client;

        var diff = await TestSboms.GetJsonAsync(client, $"{Product}/diff?from={to}&to={from}");

        Assert.Equal(["bytes"], Names(diff, "added"));
        Assert.Equal(["chalk"], Names(diff, "removed"));
    }

    [Theory]
    [InlineData("to={to}", "from")]
    [InlineData("from=yesterday&to={to}", "from")]
    [InlineData("from={to}&to={to}", "to")]
    public async Task Refuses_a_missing_invalid_or_repeated_upload_with_a_problem_naming_it(string query, string parameter)
    {
        var (client, _, to) = await GivenTwoUploadsAsync();
        using var __ = client;

        using var response = await client.GetAsync($"{Product}/diff?{query.Replace("{to}", to, StringComparison.Ordinal)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task An_upload_of_another_product_is_not_found()
    {
        var (client, from, _) = await GivenTwoUploadsAsync();
        using var _ = client;
        var other = (await TestSboms.UploadAsync(client, "elsewhere", Before)).GetProperty("id").GetString();

        using var response = await client.GetAsync($"{Product}/diff?from={from}&to={other}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
