using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Organisations;
using Sustain.Web.Identity;
using Sustain.Web.Organisations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Organisations;

public sealed class ApiTokenTests(OrganisationsAppFactory app) : IClassFixture<OrganisationsAppFactory>, IDisposable
{
    private readonly IServiceScope scope = app.Services.CreateScope();

    private ApiTokenService Tokens => scope.ServiceProvider.GetRequiredService<ApiTokenService>();

    public void Dispose() => scope.Dispose();

    private async Task<HttpStatusCode> ListProductsAsync(string slug, string secret)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orgs/{slug}/products");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Token_reads_products_until_it_is_revoked()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var organisation = await app.CreateOrganisationAsync(owner);
        var access = OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner);
        var (secret, token, error) = await Tokens.CreateAsync(access, "CI", ApiTokenScopes.SbomsRead | ApiTokenScopes.SbomsWrite);
        Assert.Null(error);

        Assert.Equal(HttpStatusCode.OK, await ListProductsAsync(organisation.Slug, secret!));
        Assert.Null(await Tokens.RevokeAsync(access, token!.Id));

        Assert.Contains(await ListProductsAsync(organisation.Slug, secret!), new[] { HttpStatusCode.Unauthorized, HttpStatusCode.NotFound });
        var listed = Assert.Single(await Tokens.ListAsync(organisation.Id));
        Assert.NotNull(listed.RevokedAt);
    }

    [Fact]
    public async Task A_token_is_marked_used_at_the_app_clocks_time()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var organisation = await app.CreateOrganisationAsync(owner);
        var (secret, token, _) = await Tokens.CreateAsync(OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner), "CI", ApiTokenScopes.SbomsRead);
        app.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(HttpStatusCode.OK, await ListProductsAsync(organisation.Slug, secret!));

        await using var db = await app.DbAsync();
        Assert.Equal(app.Clock.GetUtcNow(), (await db.ApiTokens.SingleAsync(t => t.Id == token!.Id)).LastUsedAt);
    }

    [Fact]
    public async Task Only_the_hash_and_a_prefix_of_the_secret_are_stored()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var organisation = await app.CreateOrganisationAsync(owner);

        var (secret, token, _) = await Tokens.CreateAsync(OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner), "  GitHub Actions  ", ApiTokenScopes.SbomsWrite);

        await using var db = await app.DbAsync();
        var stored = await db.ApiTokens.SingleAsync(t => t.Id == token!.Id);
        Assert.StartsWith(OrgTokenAuthenticationHandler.TokenPrefix, secret, StringComparison.Ordinal);
        Assert.Equal(OrgTokenAuthenticationHandler.Hash(secret!), stored.Hash);
        Assert.Equal(secret![..12], stored.Prefix);
        Assert.Equal("GitHub Actions", stored.Name);
        Assert.Equal(ApiTokenScopes.SbomsWrite, stored.Scopes);
    }

    [Fact]
    public async Task Upload_only_token_cannot_read_products()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var organisation = await app.CreateOrganisationAsync(owner);
        var (secret, _, _) = await Tokens.CreateAsync(OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner), "upload only", ApiTokenScopes.SbomsWrite);

        Assert.Equal(HttpStatusCode.NotFound, await ListProductsAsync(organisation.Slug, secret!));
    }

    [Fact]
    public async Task Token_of_one_organisation_sees_nothing_of_another()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var mine = await app.CreateOrganisationAsync(owner);
        var theirs = await app.CreateOrganisationAsync(await app.CreateUserAsync(displayName: "stranger"));
        var (secret, _, _) = await Tokens.CreateAsync(OrganisationsAppFactory.AccessOf(mine, owner, OrganisationRole.Owner), "CI", ApiTokenScopes.SbomsRead);

        Assert.Equal(HttpStatusCode.NotFound, await ListProductsAsync(theirs.Slug, secret!));
    }

    [Fact]
    public async Task Member_cannot_create_or_revoke_tokens()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var member = await app.CreateUserAsync(displayName: "member");
        var organisation = await app.CreateOrganisationAsync(owner, (member, OrganisationRole.Member));
        var (_, token, _) = await Tokens.CreateAsync(OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner), "CI", ApiTokenScopes.SbomsWrite);
        var asMember = OrganisationsAppFactory.AccessOf(organisation, member, OrganisationRole.Member);

        var (secret, _, error) = await Tokens.CreateAsync(asMember, "mine", ApiTokenScopes.SbomsWrite);
        var revokeRefusal = await Tokens.RevokeAsync(asMember, token!.Id);

        Assert.Null(secret);
        Assert.Contains("owners and admins", error, StringComparison.Ordinal);
        Assert.NotNull(revokeRefusal);
        Assert.Null(Assert.Single(await Tokens.ListAsync(organisation.Id)).RevokedAt);
    }

    [Theory]
    [InlineData("", ApiTokenScopes.SbomsWrite, "name")]
    [InlineData("CI", ApiTokenScopes.None, "Choose what the token may do")]
    public async Task Token_without_a_name_or_a_scope_is_refused(string name, ApiTokenScopes scopes, string expected)
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var organisation = await app.CreateOrganisationAsync(owner);

        var (secret, _, error) = await Tokens.CreateAsync(OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner), name, scopes);

        Assert.Null(secret);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Empty(await Tokens.ListAsync(organisation.Id));
    }
}
