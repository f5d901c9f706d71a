using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Sustain.Web.Tests.Sboms;

public sealed class ComponentApiTests(SbomsAppFactory app) : IClassFixture<SbomsAppFactory>
{
    private const string Components = $"/api/v1/orgs/{SbomsAppFactory.Org}/components";

    // app → react → loose-envify → js-tokens; app → express → guava; orphan is reached by nothing.
    private static readonly byte[] Shop = TestSboms.CycloneDx(
        ["react", "express"],
        new TestComponent("react", "18.3.1", "pkg:npm/react@18.3.1", "MIT", "loose-envify"),
        new TestComponent("express", "4.19.2", "pkg:npm/express@4.19.2", "MIT, Apache-2.0", "guava"),
        new TestComponent("loose-envify", "1.4.0", "pkg:npm/loose-envify@1.4.0", "MIT", "js-tokens"),
        new TestComponent("js-tokens", "4.0.0", "pkg:npm/js-tokens@4.0.0", "BSD-2-Clause"),
        new TestComponent("guava", "33.2.1", "pkg:maven/com.google.guava/guava@33.2.1", "Apache-2.0"),
        new TestComponent("orphan", "0.1"));

    private static readonly byte[] ToolsBefore = TestSboms.CycloneDx(["lodash"], new TestComponent("lodash", "4.17.20", "pkg:npm/lodash@4.17.20", "MIT"));

    private static readonly byte[] ToolsNow = TestSboms.CycloneDx(["lodash", "chalk"], new TestComponent("lodash", "4.17.21", "pkg:npm/lodash@4.17.21", "MIT"), new TestComponent("chalk", "5.3.0", "pkg:npm/chalk@5.3.0", "MIT"));

    /// <summary>Uploads are idempotent (the same bytes are the same upload), so every test can lay out the same products.</summary>
    private async Task<HttpClient> GivenProductsAsync()
    {
        var client = app.CreateTokenClient(app.Token);
        await TestSboms.UploadAsync(client, "shop", Shop);
        await TestSboms.UploadAsync(client, "tools", ToolsBefore);
        await TestSboms.UploadAsync(client, "tools", ToolsNow);
        return client;
    }

    private async Task<JsonElement> ListAsync(string query)
    {
        using var client = await GivenProductsAsync();
        return await TestSboms.GetJsonAsync(client, $"{Components}?{query}");
    }

    [Fact]
    public async Task Lists_every_component_of_a_products_current_upload_but_the_root_sorted_by_name()
    {
        var page = await ListAsync("product=shop");

        Assert.Equal(["express", "guava", "js-tokens", "loose-envify", "orphan", "react"], TestSboms.Names(page));
        Assert.Equal(6, page.GetProperty("total").GetInt32());
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal("shop", i.GetProperty("product").GetString()));
    }

    [Fact]
    public async Task The_organisation_view_lists_every_products_current_upload_only()
    {
        var page = await ListAsync("pageSize=100");

        var names = TestSboms.Names(page);
        Assert.Equal(8, page.GetProperty("total").GetInt32());
        Assert.Contains("chalk", names);
        var lodash = Assert.Single(page.GetProperty("items").EnumerateArray(), i => i.GetProperty("name").GetString() == "lodash");
        Assert.Equal("4.17.21", lodash.GetProperty("version").GetString());
        Assert.Equal("tools", lodash.GetProperty("product").GetString());
    }

    [Fact]
    public async Task Names_each_components_product_by_its_short_name_and_its_name()
    {
        using var client = await GivenProductsAsync();
        await app.QueryAsync(db => db.Products.Where(p => p.Slug == "tools").ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "Build Tools")));

        var page = await TestSboms.GetJsonAsync(client, $"{Components}?product=tools");

        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal(("tools", "Build Tools"), (i.GetProperty("product").GetString(), i.GetProperty("productName").GetString())));
    }

    [Fact]
    public async Task Scope_separates_direct_from_transitive_dependencies()
    {
        Assert.Equal(["express", "react"], TestSboms.Names(await ListAsync("product=shop&scope=direct")));
        Assert.Equal(["guava", "js-tokens", "loose-envify"], TestSboms.Names(await ListAsync("product=shop&scope=transitive")));
    }

    [Fact]
    public async Task Filters_by_ecosystem_licence_and_depth()
    {
        Assert.Equal(["guava"], TestSboms.Names(await ListAsync("product=shop&ecosystem=maven")));
        Assert.Equal(["express", "guava"], TestSboms.Names(await ListAsync("product=shop&license=Apache-2.0")));
        Assert.Equal(["express", "loose-envify", "react"], TestSboms.Names(await ListAsync("product=shop&license=MIT")));
        Assert.Equal(["express", "guava", "loose-envify", "react"], TestSboms.Names(await ListAsync("product=shop&maxDepth=2")));
    }

    [Fact]
    public async Task Searches_name_and_package_url_without_regard_to_case()
    {
        Assert.Equal(["loose-envify"], TestSboms.Names(await ListAsync("product=shop&q=LOOSE")));
        Assert.Equal(["guava"], TestSboms.Names(await ListAsync("product=shop&q=pkg:maven/com.google")));
    }

    [Fact]
    public async Task Sorts_by_depth_name_licence_and_ecosystem_with_unknowns_last()
    {
        Assert.Equal(["express", "react", "guava", "loose-envify", "js-tokens", "orphan"], TestSboms.Names(await ListAsync("product=shop&sort=depth")));
        Assert.Equal(["react", "orphan", "loose-envify", "js-tokens", "guava", "express"], TestSboms.Names(await ListAsync("product=shop&sort=-name")));
        Assert.Equal(["guava", "js-tokens", "loose-envify", "react", "express", "orphan"], TestSboms.Names(await ListAsync("product=shop&sort=license")));
        Assert.Equal(["guava", "express", "js-tokens", "loose-envify", "react", "orphan"], TestSboms.Names(await ListAsync("product=shop&sort=ecosystem")));
    }

    [Fact]
    public async Task Pages_through_the_components_with_the_total_on_every_page()
    {
        var second = await ListAsync("product=shop&pageSize=2&page=2");
        var beyond = await ListAsync("product=shop&pageSize=2&page=4");

        Assert.Equal(["js-tokens", "loose-envify"], TestSboms.Names(second));
        Assert.Equal(6, second.GetProperty("total").GetInt32());
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Empty(TestSboms.Names(beyond));
        Assert.Equal(6, beyond.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=two", "page")]
    [InlineData("scope=indirect", "scope")]
    [InlineData("sort=size", "sort")]
    [InlineData("maxDepth=0", "maxDepth")]
    public async Task Refuses_an_invalid_query_parameter_with_a_problem_naming_it(string query, string parameter)
    {
        using var client = app.CreateTokenClient(app.Token);
        using var response = await client.GetAsync($"{Components}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
        Assert.Contains(query.Split('=')[1], problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_product_is_not_found()
    {
        using var client = app.CreateTokenClient(app.Token);
        using var response = await client.GetAsync($"{Components}?product=nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Another_organisations_token_and_an_anonymous_caller_see_nothing()
    {
        using var _ = await GivenProductsAsync();
        using var outsider = app.CreateTokenClient(app.OutsiderToken);
        using var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(Components)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(Components)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/orgs/{SbomsAppFactory.Org}/products/shop/components/1/path")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/orgs/{SbomsAppFactory.Org}/products/shop/diff?from={Guid.NewGuid()}&to={Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task The_path_explains_a_component_from_the_root_along_a_shortest_chain()
    {
        var tokens = Assert.Single((await ListAsync("product=shop&q=js-tokens")).GetProperty("items").EnumerateArray());
        using var client = app.CreateTokenClient(app.Token);

        var path = await TestSboms.GetJsonAsync(client, $"/api/v1/orgs/{SbomsAppFactory.Org}/products/shop/components/{tokens.GetProperty("index").GetInt32()}/path");

        var steps = path.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["app", "react", "loose-envify", "js-tokens"], steps.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([0, 1, 2, 3], steps.Select(s => s.GetProperty("depth").GetInt32()));
        Assert.True(steps[0].GetProperty("isRoot").GetBoolean());
    }

    [Fact]
    public async Task The_path_of_an_unreachable_component_is_empty_and_of_an_unknown_index_not_found()
    {
        var orphan = Assert.Single((await ListAsync("product=shop&q=orphan")).GetProperty("items").EnumerateArray());
        using var client = app.CreateTokenClient(app.Token);

        var path = await TestSboms.GetJsonAsync(client, $"/api/v1/orgs/{SbomsAppFactory.Org}/products/shop/components/{orphan.GetProperty("index").GetInt32()}/path");
        using var unknown = await client.GetAsync($"/api/v1/orgs/{SbomsAppFactory.Org}/products/shop/components/9999/path");

        Assert.Empty(path.GetProperty("steps").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
