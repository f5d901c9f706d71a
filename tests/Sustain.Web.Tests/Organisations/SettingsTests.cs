using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Organisations;
using Sustain.Web.Organisations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Organisations;

public sealed class SettingsTests(OrganisationsAppFactory app) : IClassFixture<OrganisationsAppFactory>, IDisposable
{
    private readonly IServiceScope scope = app.Services.CreateScope();

    private OrganisationService Organisations => scope.ServiceProvider.GetRequiredService<OrganisationService>();

    public void Dispose() => scope.Dispose();

    private static OrganisationSettings Valid() => new()
    {
        Name = "  Example Robotics ",
        Description = "We build robots.",
        Website = "https://robots.example",
        DeveloperHeadcount = 42,
        LeaderboardOptIn = true,
    };

    [Fact]
    public async Task Owner_saves_trimmed_settings_and_the_slug_stays()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var organisation = await app.CreateOrganisationAsync(owner);

        var errors = await Organisations.UpdateSettingsAsync(OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner), Valid());

        Assert.Empty(errors);
        await using var db = await app.DbAsync();
        var saved = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisation.Id);
        Assert.Equal("Example Robotics", saved.Name);
        Assert.Equal(organisation.Slug, saved.Slug);
        Assert.Equal("https://robots.example", saved.Website);
        Assert.Equal(42, saved.DeveloperHeadcount);
        Assert.True(saved.LeaderboardOptIn);
    }

    [Theory]
    [InlineData(nameof(OrganisationSettings.Name), "Give the organisation a name")]
    [InlineData(nameof(OrganisationSettings.Website), "full address starting with https://")]
    [InlineData(nameof(OrganisationSettings.DeveloperHeadcount), "from 0 to 10,000,000")]
    [InlineData(nameof(OrganisationSettings.Description), "the most is 2,000")]
    public async Task Invalid_field_is_named_with_its_message_and_nothing_is_saved(string field, string message)
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var organisation = await app.CreateOrganisationAsync(owner);
        var settings = Valid();
        switch (field)
        {
            case nameof(OrganisationSettings.Name): settings.Name = "   "; break;
            case nameof(OrganisationSettings.Website): settings.Website = "robots.example"; break;
            case nameof(OrganisationSettings.DeveloperHeadcount): settings.DeveloperHeadcount = -1; break;
            case nameof(OrganisationSettings.Description): settings.Description = new string('x', 2001); break;
        }

        var errors = await Organisations.UpdateSettingsAsync(OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner), settings);

        Assert.Equal([field], errors.Keys);
        Assert.Contains(message, errors[field], StringComparison.Ordinal);
        await using var db = await app.DbAsync();
        Assert.Equal(organisation.Name, (await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisation.Id)).Name);
    }

    [Fact]
    public void Website_must_be_http_or_https()
    {
        Assert.Contains("Website", OrganisationService.Validate(new OrganisationSettings { Name = "x", Website = "javascript:alert(1)" }).Keys);
        Assert.Contains("Website", OrganisationService.Validate(new OrganisationSettings { Name = "x", Website = "ftp://files.example" }).Keys);
        Assert.Empty(OrganisationService.Validate(new OrganisationSettings { Name = "x", Website = "http://plain.example/path" }));
        Assert.Empty(OrganisationService.Validate(new OrganisationSettings { Name = "x", Website = "" }));
    }

    [Fact]
    public async Task Member_cannot_change_settings()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var member = await app.CreateUserAsync(displayName: "member");
        var organisation = await app.CreateOrganisationAsync(owner, (member, OrganisationRole.Member));

        var errors = await Organisations.UpdateSettingsAsync(OrganisationsAppFactory.AccessOf(organisation, member, OrganisationRole.Member), Valid());

        Assert.Contains("Only owners and admins", errors[""], StringComparison.Ordinal);
        await using var db = await app.DbAsync();
        Assert.Equal(organisation.Name, (await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisation.Id)).Name);
    }
}
