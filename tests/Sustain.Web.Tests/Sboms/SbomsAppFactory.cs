using Sustain.Data.Organisations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Sboms;

/// <summary>
/// The app (see <see cref="SustainAppFactory"/>) on Kestrel, a real port, so that the CLI can reach it too, with an
/// organisation and an outsider organisation, each with an SBOM read-write token.
/// </summary>
public sealed class SbomsAppFactory : SustainAppFactory, IAsyncLifetime
{
    public const string Org = "tests-org";
    public const string OutsiderOrg = "outsider-org";

    public SbomsAppFactory() => UseKestrel(0);

    public string Token { get; private set; } = "";

    public string OutsiderToken { get; private set; } = "";

    public Uri ServerAddress => ClientOptions.BaseAddress;

    public async Task InitializeAsync()
    {
        StartServer();
        Token = await OrganisationWithTokenAsync(Org);
        OutsiderToken = await OrganisationWithTokenAsync(OutsiderOrg);
    }

    private async Task<string> OrganisationWithTokenAsync(string slug)
    {
        var owner = await CreateUserAsync();
        var organisation = await CreateOrganisationAsync(owner.Id, slug, slug);
        return await CreateTokenAsync(organisation, owner.Id, ApiTokenScopes.SbomsRead | ApiTokenScopes.SbomsWrite);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
