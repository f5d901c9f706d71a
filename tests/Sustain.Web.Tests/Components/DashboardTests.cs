using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Identity;
using Sustain.Data.Organisations;
using Sustain.Web.Organisations.Pages;

namespace Sustain.Web.Tests.Components;

public sealed class DashboardTests : BunitTest
{
    private readonly string _userId;

    public DashboardTests()
    {
        using var db = NewDbContext();
        var user = new SustainUser { UserName = "dee@example.test", Email = "dee@example.test" };
        db.Users.Add(user);
        db.SaveChanges();
        _userId = user.Id;
        AddAuthorization().SetAuthorized("dee@example.test").SetClaims(new Claim(ClaimTypes.NameIdentifier, _userId));
    }

    private async Task<string> AddOrganisationAsync(string name, string slug, string ownerId)
    {
        await using var db = NewDbContext();
        var organisation = new Organisation { Name = name, Slug = slug };
        if (ownerId == _userId)
            organisation.Members.Add(new Membership { UserId = ownerId, Role = OrganisationRole.Owner });
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();
        return slug;
    }

    [Fact]
    public async Task Lists_only_the_users_own_organisations()
    {
        await AddOrganisationAsync("Mine Ltd", "mine", _userId);
        await AddOrganisationAsync("Theirs Ltd", "theirs", "someone-else");

        var dashboard = Render<Dashboard>();

        var links = dashboard.WaitForElements("[data-testid=org-link]");
        Assert.Equal(["/app/mine"], links.Select(l => l.GetAttribute("href")));
        Assert.DoesNotContain("Theirs Ltd", dashboard.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_organisations_it_says_how_to_get_one()
    {
        var dashboard = Render<Dashboard>();

        dashboard.WaitForAssertion(() => Assert.Contains("You are not in an organisation yet", dashboard.Markup, StringComparison.Ordinal));
        await using var db = NewDbContext();
        Assert.False(await db.Organisations.AnyAsync());
    }

    [Fact]
    public async Task Creating_without_a_name_says_a_name_is_needed_and_creates_nothing()
    {
        var dashboard = Render<Dashboard>();
        dashboard.WaitForElement("[data-testid=org-create]");

        await dashboard.Find("button[data-testid=org-create]").ClickAsync(new());

        dashboard.WaitForAssertion(() => Assert.Contains("Give the organisation a name.", dashboard.Markup, StringComparison.Ordinal));
        Assert.Equal("http://localhost/", Services.GetRequiredService<NavigationManager>().Uri);
        await using var db = NewDbContext();
        Assert.False(await db.Organisations.AnyAsync());
    }

    [Fact]
    public async Task The_short_name_suggestion_follows_the_name()
    {
        var dashboard = Render<Dashboard>();
        dashboard.WaitForElement("[data-testid=org-create]");

        await dashboard.Find("input[data-testid=org-name]").InputAsync(new ChangeEventArgs { Value = "Rocket & Sons Ltd." });

        dashboard.WaitForAssertion(() => Assert.Equal("rocket-sons-ltd", dashboard.Find("input[data-testid=org-slug]").GetAttribute("placeholder")));
    }

    [Fact]
    public async Task Creating_an_organisation_makes_the_user_its_owner_and_opens_it()
    {
        var dashboard = Render<Dashboard>();
        dashboard.WaitForElement("[data-testid=org-create]");

        await dashboard.Find("input[data-testid=org-name]").InputAsync(new ChangeEventArgs { Value = "Rocket Works" });
        await dashboard.Find("button[data-testid=org-create]").ClickAsync(new());

        var navigation = Services.GetRequiredService<NavigationManager>();
        dashboard.WaitForAssertion(() => Assert.Equal("http://localhost/app/rocket-works", navigation.Uri));
        await using var db = NewDbContext();
        var membership = await db.Memberships.Include(m => m.Organisation).SingleAsync();
        Assert.Equal((_userId, OrganisationRole.Owner, "Rocket Works"), (membership.UserId, membership.Role, membership.Organisation!.Name));
    }

    [Fact]
    public async Task A_short_name_already_taken_is_explained_and_nothing_is_created()
    {
        await AddOrganisationAsync("First", "taken", "someone-else");
        var dashboard = Render<Dashboard>();
        dashboard.WaitForElement("[data-testid=org-create]");

        await dashboard.Find("input[data-testid=org-name]").InputAsync(new ChangeEventArgs { Value = "Second" });
        await dashboard.Find("input[data-testid=org-slug]").ChangeAsync(new ChangeEventArgs { Value = "taken" });
        await dashboard.Find("button[data-testid=org-create]").ClickAsync(new());

        dashboard.WaitForAssertion(() => Assert.Contains("'taken' is taken", dashboard.Find("[data-testid=org-error]").TextContent, StringComparison.Ordinal));
        await using var db = NewDbContext();
        Assert.Equal(1, await db.Organisations.CountAsync());
    }
}
