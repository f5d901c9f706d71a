using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data;
using Sustain.Data.Identity;
using Sustain.Data.Organisations;
using Sustain.Web.Organisations;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Organisations;

/// <summary>The app (see <see cref="SustainAppFactory"/>) on a clock the tests move, with what the organisation tests set up over and over.</summary>
public sealed class OrganisationsAppFactory : SustainAppFactory
{
    public OrganisationsAppFactory() => Time = Clock;

    public AdjustableClock Clock { get; } = new();

    public async Task<SustainDbContext> DbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<SustainDbContext>>().CreateDbContextAsync();

    /// <summary>An organisation owned by <paramref name="owner"/>, with the other people in the roles given.</summary>
    public async Task<Organisation> CreateOrganisationAsync(SustainUser owner, params (SustainUser User, OrganisationRole Role)[] others)
    {
        var slug = UniqueSlug("org");
        var organisation = await CreateOrganisationAsync(owner.Id, "Test " + slug, slug);
        await using var db = await DbAsync();
        foreach (var (user, role) in others)
            db.Memberships.Add(new Membership { OrganisationId = organisation.Id, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
        return organisation;
    }

    /// <summary>What the pages pass to the services for a member: the organisation and the role as it was when the page loaded.</summary>
    public static OrgAccess AccessOf(Organisation organisation, SustainUser user, OrganisationRole role) =>
        new(organisation, role, user.Id, null, ApiTokenScopes.None);
}
