using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Organisations;

namespace Sustain.Web.Organisations;

public sealed class OrganisationService(SustainDbContext db)
{
    /// <summary>Creates an organisation with the user as its owner. Returns the error to show, or the organisation.</summary>
    public async Task<(Organisation? Organisation, string? Error)> CreateAsync(string userId, string name, string? slug, int developerHeadcount, CancellationToken cancellation = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
            return (null, "The name must be 1 to 200 characters.");
        slug = string.IsNullOrWhiteSpace(slug) ? Slugs.From(name) : slug.Trim();
        if (!Slugs.IsValid(slug))
            return (null, $"The short name '{slug}' is not valid: use {Slugs.Rule}.");
        if (developerHeadcount is < 0 or > 10_000_000)
            return (null, "The developer headcount must be between 0 and 10,000,000.");
        if (await db.Organisations.AnyAsync(o => o.Slug == slug, cancellation))
            return (null, $"The short name '{slug}' is taken; choose another.");

        var organisation = new Organisation { Name = name, Slug = slug, DeveloperHeadcount = developerHeadcount };
        organisation.Members.Add(new Membership { UserId = userId, Role = OrganisationRole.Owner });
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(cancellation);
        return (organisation, null);
    }
}

public static class OrganisationsSetup
{
    public static IHostApplicationBuilder AddOrganisations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<OrganisationAccess>();
        builder.Services.AddScoped<OrganisationService>();
        return builder;
    }

    public static WebApplication MapOrganisations(this WebApplication app) => app;
}
