using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Organisations;
using Sustain.Data.Sboms;

namespace Sustain.Web.Organisations;

/// <summary>What the settings page edits. The slug is not here: it is in every URL and token, so it never changes.</summary>
public sealed class OrganisationSettings
{
    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public string? Website { get; set; }

    public int DeveloperHeadcount { get; set; }

    public bool LeaderboardOptIn { get; set; }

    public static OrganisationSettings Of(Organisation organisation) => new()
    {
        Name = organisation.Name,
        Description = organisation.Description,
        Website = organisation.Website,
        DeveloperHeadcount = organisation.DeveloperHeadcount,
        LeaderboardOptIn = organisation.LeaderboardOptIn,
    };
}

/// <summary>A product on the overview: its current SBOM (if any) and how often it was uploaded.</summary>
public sealed record ProductOverview(
    string Slug, string Name, string? Format, string? SpecVersion, int Components, int Direct, int MaxDepth, bool GraphAbsent,
    DateTimeOffset? CurrentUploadedAt, int Uploads);

public sealed record OrganisationOverview(Organisation Organisation, int Members, IReadOnlyList<ProductOverview> Products, int Uploads, DateTimeOffset? LastUploadAt);

public sealed class OrganisationService(IDbContextFactory<SustainDbContext> contexts)
{
    public const int MaxHeadcount = 10_000_000;

    /// <summary>Creates an organisation with the user as its owner. Returns the error to show, or the organisation.</summary>
    public async Task<(Organisation? Organisation, string? Error)> CreateAsync(string userId, string name, string? slug, int developerHeadcount, CancellationToken cancellation = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
            return (null, "The name must be 1 to 200 characters.");
        slug = string.IsNullOrWhiteSpace(slug) ? Slugs.From(name) : slug.Trim();
        if (!Slugs.IsValid(slug))
            return (null, $"The short name '{slug}' is not valid: use {Slugs.Rule}.");
        if (developerHeadcount is < 0 or > MaxHeadcount)
            return (null, "The developer headcount must be between 0 and 10,000,000.");

        await using var db = await contexts.CreateDbContextAsync(cancellation);
        if (await db.Organisations.AnyAsync(o => o.Slug == slug, cancellation))
            return (null, $"The short name '{slug}' is taken; choose another.");

        var organisation = new Organisation { Name = name, Slug = slug, DeveloperHeadcount = developerHeadcount };
        organisation.Members.Add(new Membership { UserId = userId, Role = OrganisationRole.Owner });
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(cancellation);
        return (organisation, null);
    }

    public async Task<OrganisationOverview> OverviewAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisationId, cancellation);
        var members = await db.Memberships.CountAsync(m => m.OrganisationId == organisationId, cancellation);
        var products = await db.Products.AsNoTracking().Where(p => p.OrganisationId == organisationId).OrderBy(p => p.Name).ToListAsync(cancellation);
        var currentIds = products.Where(p => p.CurrentUploadId != null).Select(p => p.CurrentUploadId!.Value).ToList();
        var current = await db.SbomUploads.AsNoTracking().Where(u => currentIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Format, u.SpecVersion, u.ComponentCount, u.DirectCount, u.MaxDepth, u.GraphAbsent, u.UploadedAt })
            .ToDictionaryAsync(u => u.Id, cancellation);
        var counts = await db.SbomUploads.Where(u => u.OrganisationId == organisationId)
            .GroupBy(u => u.ProductId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellation);

        var overviews = products.Select(p =>
        {
            var uploads = counts.GetValueOrDefault(p.Id);
            return p.CurrentUploadId is { } id && current.TryGetValue(id, out var u)
                ? new ProductOverview(p.Slug, p.Name, u.Format, u.SpecVersion, u.ComponentCount, u.DirectCount, u.MaxDepth, u.GraphAbsent, u.UploadedAt, uploads)
                : new ProductOverview(p.Slug, p.Name, null, null, 0, 0, 0, false, null, uploads);
        }).ToList();
        var lastUpload = overviews.Max(p => p.CurrentUploadedAt);
        return new OrganisationOverview(organisation, members, overviews, counts.Values.Sum(), lastUpload);
    }

    /// <summary>Checks the settings without saving them: field name to message, empty when they are valid.</summary>
    public static Dictionary<string, string> Validate(OrganisationSettings settings)
    {
        var errors = new Dictionary<string, string>();
        var name = settings.Name?.Trim() ?? "";
        if (name.Length == 0)
            errors[nameof(settings.Name)] = "Give the organisation a name.";
        else if (name.Length > 200)
            errors[nameof(settings.Name)] = $"The name is {name.Length} characters; the most is 200.";
        if (settings.Description?.Trim().Length > 2000)
            errors[nameof(settings.Description)] = $"The description is {settings.Description.Trim().Length:N0} characters; the most is 2,000.";
        var website = settings.Website?.Trim();
        if (!string.IsNullOrEmpty(website))
        {
            if (website.Length > 500)
                errors[nameof(settings.Website)] = "The website address is longer than 500 characters.";
            else if (!Uri.TryCreate(website, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
                errors[nameof(settings.Website)] = "Enter the website as a full address starting with https://, for example https://example.com.";
        }

        if (settings.DeveloperHeadcount is < 0 or > MaxHeadcount)
            errors[nameof(settings.DeveloperHeadcount)] = "The developer headcount must be a whole number from 0 to 10,000,000.";
        return errors;
    }

    /// <summary>Saves the settings when the actor is an owner or admin and they are valid; returns the errors otherwise (key "" for the form).</summary>
    public async Task<Dictionary<string, string>> UpdateSettingsAsync(OrgAccess actor, OrganisationSettings settings, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(settings);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var role = await MembershipService.RoleOfAsync(db, actor, cancellation);
        if (role is not (OrganisationRole.Owner or OrganisationRole.Admin))
            return new Dictionary<string, string> { [""] = "Only owners and admins can change the organisation's settings." };

        var errors = Validate(settings);
        if (errors.Count > 0)
            return errors;

        var website = settings.Website?.Trim();
        var description = settings.Description?.Trim();
        await db.Organisations.Where(o => o.Id == actor.Organisation.Id).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Name, settings.Name.Trim())
            .SetProperty(o => o.Description, string.IsNullOrEmpty(description) ? null : description)
            .SetProperty(o => o.Website, string.IsNullOrEmpty(website) ? null : website)
            .SetProperty(o => o.DeveloperHeadcount, settings.DeveloperHeadcount)
            .SetProperty(o => o.LeaderboardOptIn, settings.LeaderboardOptIn), cancellation);
        return errors;
    }
}
