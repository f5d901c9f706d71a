using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sustain.Core.Sboms;
using Sustain.Core.Tests.Corpus;
using Sustain.Data.Identity;
using Sustain.Data.Organisations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Sboms;

public sealed class SbomUploadApiTests(SustainAppFactory app) : IClassFixture<SustainAppFactory>
{
    private async Task<(Organisation Organisation, SustainUser Owner)> OrganisationAsync()
    {
        var owner = await app.CreateUserAsync();
        return (await app.CreateOrganisationAsync(owner.Id, "Uploaders"), owner);
    }

    private async Task<(Organisation Organisation, HttpClient Client)> OrganisationWithTokenAsync(ApiTokenScopes scopes = ApiTokenScopes.SbomsRead | ApiTokenScopes.SbomsWrite)
    {
        var (organisation, owner) = await OrganisationAsync();
        return (organisation, app.CreateTokenClient(await app.CreateTokenAsync(organisation, owner.Id, scopes)));
    }

    private Task<bool> ProductExistsAsync(Organisation organisation, string slug) =>
        app.QueryAsync(db => db.Products.AnyAsync(p => p.OrganisationId == organisation.Id && p.Slug == slug));

    [Fact]
    public async Task Upload_with_a_write_token_answers_201_with_the_summary_and_where_it_lives()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body(SbomFixtures.CycloneDxJson()));

        await response.AssertStatusAsync(HttpStatusCode.Created);
        var summary = await response.JsonAsync();
        var id = summary.GetProperty("id").GetGuid();
        Assert.Equal("web", summary.GetProperty("product").GetString());
        Assert.Equal("Ready", summary.GetProperty("state").GetString());
        Assert.Equal("cyclonedx-json", summary.GetProperty("format").GetString());
        Assert.Equal("1.5", summary.GetProperty("specVersion").GetString());
        Assert.Equal(3, summary.GetProperty("components").GetInt32());
        Assert.Equal(1, summary.GetProperty("direct").GetInt32());
        Assert.Equal(3, summary.GetProperty("maxDepth").GetInt32());
        Assert.Equal($"/api/v1/orgs/{organisation.Slug}/products/web/sboms/{id}", response.Headers.Location?.OriginalString);

        using var detail = await client.GetAsync(response.Headers.Location);
        await detail.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(id, (await detail.JsonAsync()).GetProperty("id").GetGuid());
        // The product itself (metadata.component) is stored as the root row beside its three dependencies.
        Assert.Equal(["left-pad-app", "left-pad-a", "left-pad-b", "left-pad-c"], await app.QueryAsync(db => db.SbomComponents.Where(c => c.UploadId == id).OrderBy(c => c.Depth).Select(c => c.Name).ToListAsync()));
    }

    [Fact]
    public async Task Uploading_the_same_bytes_again_answers_200_with_the_same_upload_and_stores_no_second_row()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();
        var path = SbomFixtures.UploadPath(organisation.Slug, "web");

        using var first = await client.PostAsync(path, SbomFixtures.Body(SbomFixtures.CycloneDxJson()));
        using var second = await client.PostAsync(path, SbomFixtures.Body(SbomFixtures.CycloneDxJson()));

        await first.AssertStatusAsync(HttpStatusCode.Created);
        await second.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal((await first.JsonAsync()).GetProperty("id").GetGuid(), (await second.JsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(1, await app.UploadCountAsync(organisation.Id));
    }

    [Fact]
    public async Task Different_bytes_for_the_same_product_become_its_new_current_upload()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();
        var path = SbomFixtures.UploadPath(organisation.Slug, "web");

        using var first = await client.PostAsync(path, SbomFixtures.Body(SbomFixtures.CycloneDxJson("one")));
        using var second = await client.PostAsync(path, SbomFixtures.Body(SbomFixtures.CycloneDxJson("two")));

        await second.AssertStatusAsync(HttpStatusCode.Created);
        var secondId = (await second.JsonAsync()).GetProperty("id").GetGuid();
        Assert.NotEqual((await first.JsonAsync()).GetProperty("id").GetGuid(), secondId);
        Assert.Equal(2, await app.UploadCountAsync(organisation.Id));
        Assert.Equal(secondId, await app.QueryAsync(db => db.Products.Where(p => p.OrganisationId == organisation.Id).Select(p => p.CurrentUploadId).SingleAsync()));
    }

    [Fact]
    public async Task First_uploads_of_a_new_product_at_the_same_time_all_land_in_that_one_product()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();
        var path = SbomFixtures.UploadPath(organisation.Slug, "raced");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.PostAsync(path, SbomFixtures.Body(SbomFixtures.CycloneDxJson($"race-{i}")))));

        foreach (var response in responses)
        {
            await response.AssertStatusAsync(HttpStatusCode.Created);
            response.Dispose();
        }

        Assert.Equal(1, await app.QueryAsync(db => db.Products.CountAsync(p => p.OrganisationId == organisation.Id)));
        Assert.Equal(8, await app.UploadCountAsync(organisation.Id));
    }

    public static TheoryData<string, string> BrokenDocuments => new()
    {
        { SbomFixtures.CycloneDxWithBadType, "$.components[1].type" },
        { SbomFixtures.TruncatedCycloneDx, "line 5, column 45" },
        { "{ \"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [ { \"type\": \"library\", \"name\": 7 } ] }", "$.components[0].name" },
    };

    [Theory]
    [MemberData(nameof(BrokenDocuments))]
    public async Task A_document_the_reader_refuses_is_400_naming_the_place_and_stores_nothing(string document, string place)
    {
        var (organisation, client) = await OrganisationWithTokenAsync();

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "broken"), SbomFixtures.Body(document));

        var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(place, detail, StringComparison.Ordinal);
        Assert.Equal(0, await app.UploadCountAsync(organisation.Id));
        Assert.False(await ProductExistsAsync(organisation, "broken"));
    }

    [Fact]
    public async Task A_refused_document_leaves_an_existing_product_and_its_current_upload_as_they_were()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();
        var path = SbomFixtures.UploadPath(organisation.Slug, "web");
        using var good = await client.PostAsync(path, SbomFixtures.Body(SbomFixtures.CycloneDxJson()));
        var goodId = (await good.JsonAsync()).GetProperty("id").GetGuid();

        using var bad = await client.PostAsync(path, SbomFixtures.Body(SbomFixtures.CycloneDxWithBadType));

        await bad.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, await app.UploadCountAsync(organisation.Id));
        Assert.Equal(goodId, await app.QueryAsync(db => db.Products.Where(p => p.OrganisationId == organisation.Id).Select(p => p.CurrentUploadId).SingleAsync()));
    }

    [Fact]
    public async Task An_empty_body_is_400_and_says_so()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body([], "application/json"));

        Assert.Contains("empty", await response.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.OrdinalIgnoreCase);
        Assert.False(await ProductExistsAsync(organisation, "web"));
    }

    [Fact]
    public async Task An_image_is_415()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body([0x89, 0x50, 0x4E, 0x47], "image/png"));

        Assert.Contains("image/png", await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType), StringComparison.Ordinal);
        Assert.Equal(0, await app.UploadCountAsync(organisation.Id));
    }

    [Fact]
    public async Task An_invalid_product_name_is_400_and_names_the_rule()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "Not_Valid"), SbomFixtures.Body(SbomFixtures.CycloneDxJson()));

        Assert.Contains("Not_Valid", await response.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(0, await app.UploadCountAsync(organisation.Id));
    }

    [Fact]
    public async Task A_multipart_form_upload_is_stored_with_its_file_name()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();
        using var form = new MultipartFormDataContent();
        form.Add(SbomFixtures.Body(SbomFixtures.CycloneDxJson()), "file", "bom.cdx.json");

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), form);

        await response.AssertStatusAsync(HttpStatusCode.Created);
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal("bom.cdx.json", await app.QueryAsync(db => db.SbomUploads.Where(u => u.Id == id).Select(u => u.FileName).SingleAsync()));
    }

    [Fact]
    public async Task A_multipart_form_without_a_file_is_400()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();
        using var form = new MultipartFormDataContent { { new StringContent("x"), "note" } };

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), form);

        Assert.Contains("'file'", await response.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cyclonedx_xml_document_is_read()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "jvm"), SbomFixtures.Body(SbomFixtures.CycloneDxXml, "application/xml"));

        await response.AssertStatusAsync(HttpStatusCode.Created);
        var summary = await response.JsonAsync();
        Assert.Equal("cyclonedx-xml", summary.GetProperty("format").GetString());
        Assert.Equal(2, summary.GetProperty("components").GetInt32());
    }

    [SkippableFact]
    public async Task An_spdx_json_document_is_read()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "spdx"), SbomFixtures.Body(SbomFixtures.SpdxJson, "application/spdx+json"));

        if (response.StatusCode == HttpStatusCode.BadRequest)
            Skip.If((await response.ProblemAsync(HttpStatusCode.BadRequest)).Contains("not implemented", StringComparison.Ordinal), "The SPDX JSON reader is not in this build yet.");
        await response.AssertStatusAsync(HttpStatusCode.Created);
        var summary = await response.JsonAsync();
        Assert.Equal("spdx-json", summary.GetProperty("format").GetString());
        Assert.Equal(2, summary.GetProperty("components").GetInt32());
    }

    [SkippableFact]
    public async Task A_real_world_document_from_the_corpus_is_stored_with_every_component()
    {
        Skip.IfNot(CorpusFiles.Available, CorpusFiles.SkipReason);
        var path = CorpusFiles.PathOf("cyclonedx/bom-examples/laravel-7.12.0.bom.1.4.json");
        var expected = SbomReader.Read(path);
        var (organisation, client) = await OrganisationWithTokenAsync();

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "laravel"), SbomFixtures.Body(await File.ReadAllBytesAsync(path)));

        await response.AssertStatusAsync(HttpStatusCode.Created);
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        Assert.True(expected.ComponentCount > 50, $"the fixture has {expected.ComponentCount} components");
        Assert.Equal(expected.ComponentCount, (await response.JsonAsync()).GetProperty("components").GetInt32());
        Assert.Equal(expected.Components.Count, await app.QueryAsync(db => db.SbomComponents.CountAsync(c => c.UploadId == id)));
    }

    [Fact]
    public async Task A_signed_in_member_can_upload_without_a_token()
    {
        var (owner, browser, _) = await app.SignedInUserAsync();
        var organisation = await app.CreateOrganisationAsync(owner.Id, "Members upload");

        using var response = await browser.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body(SbomFixtures.CycloneDxJson()));

        await response.AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal(owner.Id, await app.QueryAsync(db => db.SbomUploads.Where(u => u.OrganisationId == organisation.Id).Select(u => u.UploadedByUserId).SingleAsync()));
    }

    [Fact]
    public async Task A_token_with_only_the_read_scope_cannot_upload()
    {
        var (organisation, client) = await OrganisationWithTokenAsync(ApiTokenScopes.SbomsRead);

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body(SbomFixtures.CycloneDxJson()));

        await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.False(await ProductExistsAsync(organisation, "web"));
    }

    [Fact]
    public async Task A_revoked_token_cannot_upload()
    {
        var (organisation, owner) = await OrganisationAsync();
        using var client = app.CreateTokenClient(await app.CreateTokenAsync(organisation, owner.Id, ApiTokenScopes.SbomsWrite | ApiTokenScopes.SbomsRead, revoked: true));

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body(SbomFixtures.CycloneDxJson()));

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.NotFound });
        Assert.False(await ProductExistsAsync(organisation, "web"));
    }

    [Fact]
    public async Task A_token_that_was_never_issued_cannot_upload()
    {
        var (organisation, _) = await OrganisationAsync();
        using var client = app.CreateTokenClient("sus_" + new string('x', 43));

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body(SbomFixtures.CycloneDxJson()));

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.NotFound });
        Assert.False(await ProductExistsAsync(organisation, "web"));
    }

    [Fact]
    public async Task An_anonymous_caller_cannot_upload_and_learns_nothing()
    {
        var (organisation, _) = await OrganisationAsync();
        using var client = app.CreateClient();

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body(SbomFixtures.CycloneDxJson()));

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.NotFound });
        Assert.DoesNotContain("Uploaders", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await ProductExistsAsync(organisation, "web"));
    }

    [Fact]
    public async Task A_member_of_another_organisation_gets_404()
    {
        var (organisation, _) = await OrganisationAsync();
        var (outsider, browser, _) = await app.SignedInUserAsync();
        await app.CreateOrganisationAsync(outsider.Id, "Somewhere else");

        using var response = await browser.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body(SbomFixtures.CycloneDxJson()));

        await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.False(await ProductExistsAsync(organisation, "web"));
    }

    [Fact]
    public async Task A_token_of_another_organisation_gets_404()
    {
        var (victim, _) = await OrganisationAsync();
        var (_, otherClient) = await OrganisationWithTokenAsync();

        using var response = await otherClient.PostAsync(SbomFixtures.UploadPath(victim.Slug, "web"), SbomFixtures.Body(SbomFixtures.CycloneDxJson()));

        await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.False(await ProductExistsAsync(victim, "web"));
    }

    [Fact]
    public async Task A_file_name_header_is_kept_without_its_folders()
    {
        var (organisation, client) = await OrganisationWithTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, SbomFixtures.UploadPath(organisation.Slug, "web")) { Content = SbomFixtures.Body(Encoding.UTF8.GetBytes(SbomFixtures.CycloneDxJson()), null) };
        request.Headers.Add("X-File-Name", "../../etc/bom.json");

        using var response = await client.SendAsync(request);

        await response.AssertStatusAsync(HttpStatusCode.Created);
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal("bom.json", await app.QueryAsync(db => db.SbomUploads.Where(u => u.Id == id).Select(u => u.FileName).SingleAsync()));
    }
}

public sealed class SbomUploadLimitTests : IDisposable
{
    private readonly SustainAppFactory _app = new() { Settings = { ["Sboms:MaxUploadBytes"] = "4096" } };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task An_upload_over_the_limit_is_413_and_stores_nothing()
    {
        var owner = await _app.CreateUserAsync();
        var organisation = await _app.CreateOrganisationAsync(owner.Id, "Big uploads");
        using var client = _app.CreateTokenClient(await _app.CreateTokenAsync(organisation, owner.Id, ApiTokenScopes.SbomsWrite));
        var padding = new string(' ', 5000);
        var document = SbomFixtures.CycloneDxJson().Replace("\"version\": 1,", "\"version\": 1," + padding, StringComparison.Ordinal);

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body(document));

        Assert.Contains("4,096", await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge), StringComparison.Ordinal);
        Assert.Equal(0, await _app.UploadCountAsync(organisation.Id));
    }

    [Fact]
    public async Task An_upload_just_under_the_limit_is_accepted()
    {
        var owner = await _app.CreateUserAsync();
        var organisation = await _app.CreateOrganisationAsync(owner.Id, "Small uploads");
        using var client = _app.CreateTokenClient(await _app.CreateTokenAsync(organisation, owner.Id, ApiTokenScopes.SbomsWrite));
        var document = Encoding.UTF8.GetBytes(SbomFixtures.CycloneDxJson());
        Assert.True(document.Length < 4096);

        using var response = await client.PostAsync(SbomFixtures.UploadPath(organisation.Slug, "web"), SbomFixtures.Body(document));

        await response.AssertStatusAsync(HttpStatusCode.Created);
    }
}
