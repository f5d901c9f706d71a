using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Organisations;
using Sustain.Web.Organisations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Organisations;

public sealed class MembershipTests(OrganisationsAppFactory app) : IClassFixture<OrganisationsAppFactory>, IDisposable
{
    private readonly IServiceScope scope = app.Services.CreateScope();

    private MembershipService Memberships => scope.ServiceProvider.GetRequiredService<MembershipService>();

    public void Dispose() => scope.Dispose();

    private async Task<OrganisationRole?> RoleAsync(Organisation organisation, string userId)
    {
        await using var db = await app.DbAsync();
        return await db.Memberships.Where(m => m.OrganisationId == organisation.Id && m.UserId == userId).Select(m => (OrganisationRole?)m.Role).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task Last_owner_cannot_be_demoted_removed_or_leave()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var organisation = await app.CreateOrganisationAsync(owner);
        var access = OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner);

        var demoted = await Memberships.ChangeRoleAsync(access, owner.Id, OrganisationRole.Admin);
        var left = await Memberships.RemoveAsync(access, owner.Id);

        Assert.Contains("at least one owner", demoted, StringComparison.Ordinal);
        Assert.Contains("at least one owner", left, StringComparison.Ordinal);
        Assert.Equal(OrganisationRole.Owner, await RoleAsync(organisation, owner.Id));
    }

    [Fact]
    public async Task Owner_may_step_down_when_another_owner_remains()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var other = await app.CreateUserAsync(displayName: "other");
        var organisation = await app.CreateOrganisationAsync(owner, (other, OrganisationRole.Owner));

        var refusal = await Memberships.ChangeRoleAsync(OrganisationsAppFactory.AccessOf(organisation, owner, OrganisationRole.Owner), owner.Id, OrganisationRole.Member);

        Assert.Null(refusal);
        Assert.Equal(OrganisationRole.Member, await RoleAsync(organisation, owner.Id));
        var lastOne = await Memberships.RemoveAsync(OrganisationsAppFactory.AccessOf(organisation, other, OrganisationRole.Owner), other.Id);
        Assert.NotNull(lastOne);
    }

    [Fact]
    public async Task Admin_cannot_make_an_owner_nor_change_or_remove_one()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var second = await app.CreateUserAsync(displayName: "second-owner");
        var admin = await app.CreateUserAsync(displayName: "admin");
        var member = await app.CreateUserAsync(displayName: "member");
        var organisation = await app.CreateOrganisationAsync(owner, (second, OrganisationRole.Owner), (admin, OrganisationRole.Admin), (member, OrganisationRole.Member));
        var asAdmin = OrganisationsAppFactory.AccessOf(organisation, admin, OrganisationRole.Admin);

        Assert.NotNull(await Memberships.ChangeRoleAsync(asAdmin, member.Id, OrganisationRole.Owner));
        Assert.NotNull(await Memberships.ChangeRoleAsync(asAdmin, admin.Id, OrganisationRole.Owner));
        Assert.NotNull(await Memberships.ChangeRoleAsync(asAdmin, second.Id, OrganisationRole.Member));
        Assert.NotNull(await Memberships.RemoveAsync(asAdmin, second.Id));

        Assert.Equal(OrganisationRole.Member, await RoleAsync(organisation, member.Id));
        Assert.Equal(OrganisationRole.Admin, await RoleAsync(organisation, admin.Id));
        Assert.Equal(OrganisationRole.Owner, await RoleAsync(organisation, second.Id));
    }

    [Fact]
    public async Task Admin_promotes_and_removes_members()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var admin = await app.CreateUserAsync(displayName: "admin");
        var member = await app.CreateUserAsync(displayName: "member");
        var leaver = await app.CreateUserAsync(displayName: "leaver");
        var organisation = await app.CreateOrganisationAsync(owner, (admin, OrganisationRole.Admin), (member, OrganisationRole.Member), (leaver, OrganisationRole.Member));
        var asAdmin = OrganisationsAppFactory.AccessOf(organisation, admin, OrganisationRole.Admin);

        Assert.Null(await Memberships.ChangeRoleAsync(asAdmin, member.Id, OrganisationRole.Admin));
        Assert.Null(await Memberships.RemoveAsync(asAdmin, leaver.Id));

        Assert.Equal(OrganisationRole.Admin, await RoleAsync(organisation, member.Id));
        Assert.Null(await RoleAsync(organisation, leaver.Id));
    }

    [Fact]
    public async Task Member_cannot_manage_others_but_may_leave()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var member = await app.CreateUserAsync(displayName: "member");
        var organisation = await app.CreateOrganisationAsync(owner, (member, OrganisationRole.Member));
        var asMember = OrganisationsAppFactory.AccessOf(organisation, member, OrganisationRole.Member);

        Assert.Contains("Only owners and admins", await Memberships.ChangeRoleAsync(asMember, owner.Id, OrganisationRole.Member), StringComparison.Ordinal);
        Assert.Contains("Only owners and admins", await Memberships.RemoveAsync(asMember, owner.Id), StringComparison.Ordinal);
        Assert.Contains("Only owners and admins", await Memberships.ChangeRoleAsync(asMember, member.Id, OrganisationRole.Owner), StringComparison.Ordinal);
        Assert.Null(await Memberships.RemoveAsync(asMember, member.Id));
        Assert.Null(await RoleAsync(organisation, member.Id));
    }

    [Fact]
    public async Task Role_is_read_from_the_database_not_from_a_stale_page()
    {
        var owner = await app.CreateUserAsync(displayName: "owner");
        var demoted = await app.CreateUserAsync(displayName: "demoted");
        var member = await app.CreateUserAsync(displayName: "member");
        var organisation = await app.CreateOrganisationAsync(owner, (demoted, OrganisationRole.Member), (member, OrganisationRole.Member));
        var pageLoadedWhileAdmin = OrganisationsAppFactory.AccessOf(organisation, demoted, OrganisationRole.Admin);

        var refusal = await Memberships.RemoveAsync(pageLoadedWhileAdmin, member.Id);

        Assert.NotNull(refusal);
        Assert.Equal(OrganisationRole.Member, await RoleAsync(organisation, member.Id));
    }

    [Fact]
    public async Task Members_are_listed_owners_first_with_their_names()
    {
        var owner = await app.CreateUserAsync(displayName: "Zoe Owner");
        var member = await app.CreateUserAsync(displayName: "Adam Member");
        var organisation = await app.CreateOrganisationAsync(owner, (member, OrganisationRole.Member));

        var members = await Memberships.ListAsync(organisation.Id);

        Assert.Equal(["Zoe Owner", "Adam Member"], members.Select(m => m.Name));
        Assert.Equal([OrganisationRole.Owner, OrganisationRole.Member], members.Select(m => m.Role));
    }
}
