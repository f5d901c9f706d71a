using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Sustain.Data.Organisations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Sboms;

public sealed class SbomReadApiTests(SustainAppFactory app) : IClassFixture<SustainAppFactory>
{
    private sealed record Uploaded(Organisation Organisation, string OwnerCookie, string ReadToken, Guid First, Guid Second);

    /// <summary>An organisation whose product "web" has two uploads, the second current.</summary>
    private async Task<Uploaded> UploadedAsync()
    {
        var (owner, _, cookie) = await app.SignedInUserAsync();
        var organisation = await app.CreateOrganisationAsync(owner.Id, "Readers");
        using var writer = app.CreateTokenClient(await app.CreateTokenAsync(organisation, owner.Id, ApiTokenScopes.SbomsWrite));
        var ids = new List<Guid>();
        foreach (var marker in new[] { "first", "second" })
        {
            using var response = await writer.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body(SbomFixtures.CycloneDxJson(marker)));
            await response.AssertStatusAsync(HttpStatusCode.Created);
            ids.Add((await response.JsonAsync()).GetProperty("id").GetGuid());
        }

        return new Uploaded(organisation, cookie, await app.CreateTokenAsync(organisation, owner.Id, ApiTokenScopes.SbomsRead), ids[0], ids[1]);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token = null, string? cookie = null)
    {
        using var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (cookie is not null)
            request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_read_token_lists_the_products_with_their_current_upload_and_count()
    {
        var uploaded = await UploadedAsync();

        using var response = await GetAsync($"/api/v1/orgs/{uploaded.Organisation.Slug}/products", uploaded.ReadToken);

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var product = Assert.Single((await response.JsonAsync()).EnumerateArray());
        Assert.Equal("web", product.GetProperty("slug").GetString());
        Assert.Equal(2, product.GetProperty("uploads").GetInt32());
        Assert.Equal(uploaded.Second, product.GetProperty("current").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_member_reads_the_upload_history_newest_first()
    {
        var uploaded = await UploadedAsync();

        using var response = await GetAsync($"/api/v1/orgs/{uploaded.Organisation.Slug}/products/web/sboms", cookie: uploaded.OwnerCookie);

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal([uploaded.Second, uploaded.First], (await response.JsonAsync()).EnumerateArray().Select(u => u.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task One_upload_is_read_by_its_id()
    {
        var uploaded = await UploadedAsync();

        using var response = await GetAsync($"/api/v1/orgs/{uploaded.Organisation.Slug}/products/web/sboms/{uploaded.First}", uploaded.ReadToken);

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var upload = await response.JsonAsync();
        Assert.Equal(uploaded.First, upload.GetProperty("id").GetGuid());
        Assert.Equal("web", upload.GetProperty("product").GetString());
    }

    [Fact]
    public async Task An_upload_asked_for_under_another_product_is_404()
    {
        var uploaded = await UploadedAsync();

        using var response = await GetAsync($"/api/v1/orgs/{uploaded.Organisation.Slug}/products/mobile/sboms/{uploaded.First}", uploaded.ReadToken);

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_product_is_404()
    {
        var uploaded = await UploadedAsync();

        using var response = await GetAsync($"/api/v1/orgs/{uploaded.Organisation.Slug}/products/mobile/sboms", uploaded.ReadToken);

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_write_only_token_cannot_read()
    {
        var uploaded = await UploadedAsync();
        var owner = await app.QueryAsync(db => db.Memberships.Where(m => m.OrganisationId == uploaded.Organisation.Id).Select(m => m.UserId).SingleAsync());
        var writeOnly = await app.CreateTokenAsync(uploaded.Organisation, owner, ApiTokenScopes.SbomsWrite);

        using var response = await GetAsync($"/api/v1/orgs/{uploaded.Organisation.Slug}/products", writeOnly);

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_organisations_upload_id_is_404_under_the_callers_own_organisation()
    {
        var victim = await UploadedAsync();
        var intruder = await UploadedAsync();

        using var response = await GetAsync($"/api/v1/orgs/{intruder.Organisation.Slug}/products/web/sboms/{victim.First}", intruder.ReadToken);

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string> ReadPaths => new()
    {
        "/api/v1/orgs/{org}/products",
        "/api/v1/orgs/{org}/products/web/sboms",
        "/api/v1/orgs/{org}/products/web/sboms/{id}",
    };

    [Theory]
    [MemberData(nameof(ReadPaths))]
    public async Task Outsiders_get_404_and_nothing_of_the_organisation(string template)
    {
        var victim = await UploadedAsync();
        var other = await UploadedAsync();
        var path = template.Replace("{org}", victim.Organisation.Slug, StringComparison.Ordinal).Replace("{id}", victim.First.ToString(), StringComparison.Ordinal);

        foreach (var (token, cookie) in new (string?, string?)[] { (null, null), (other.ReadToken, null), (null, other.OwnerCookie) })
        {
            using var response = await GetAsync(path, token, cookie);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode} {body}");
            Assert.DoesNotContain(victim.First.ToString(), body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("first-", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_id_that_is_not_a_guid_is_a_404_problem_not_a_page()
    {
        var uploaded = await UploadedAsync();

        using var response = await GetAsync($"/api/v1/orgs/{uploaded.Organisation.Slug}/products/web/sboms/not-an-id", uploaded.ReadToken);

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }
}
