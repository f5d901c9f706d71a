using Microsoft.EntityFrameworkCore;
using Sustain.Core.Projects;
using Sustain.Data;
using Sustain.Data.Projects;
using Sustain.Web.Organisations;

namespace Sustain.Web.Projects;

public sealed record ProjectPackage(string Key, string Name, MappingSource Source, bool Direct);

/// <summary>A project an organisation depends on: its packages, the products using them, and how it was found.</summary>
public sealed record ProjectItem(string Key, string RepositoryUrl, IReadOnlyList<ProjectPackage> Packages, IReadOnlyList<string> Products, bool Direct)
{
    public IReadOnlyList<MappingSource> Sources => Packages.Select(p => p.Source).Distinct().Order().ToList();
}

public sealed record UnresolvedItem(string PackageKey, string Ecosystem, string Name, UnresolvedReason Reason, string? Detail, IReadOnlyList<string> Products, bool Direct);

internal sealed record PackageName(string Ecosystem, string Name);

public sealed record ManualItem(string PackageKey, string ProjectKey, DateTimeOffset CreatedAt);

/// <summary>The projects page's data. <see cref="Pending"/> counts packages the SBOMs use that no run has looked at yet.</summary>
public sealed record ProjectsView(IReadOnlyList<ProjectItem> Projects, IReadOnlyList<UnresolvedItem> Unresolved, IReadOnlyList<ManualItem> Manual, int Packages, int Pending, DateTimeOffset? LastChangedAt);

/// <summary>
/// What the projects page reads, and the manual mappings it writes. Callers have asked
/// <see cref="OrganisationAccess"/>; every query is scoped to that organisation.
/// </summary>
public sealed class ProjectCatalogue(IDbContextFactory<SustainDbContext> contexts, ResolutionLocks locks, TimeProvider clock)
{
    public async Task<ProjectsView> ViewAsync(OrgAccess access, CancellationToken cancellation = default)
    {
        var organisationId = access.Organisation.Id;
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var products = await db.Products.AsNoTracking()
            .Where(p => p.OrganisationId == organisationId && p.CurrentUploadId != null)
            .ToDictionaryAsync(p => p.CurrentUploadId!.Value, p => p.Name, cancellation);
        var uploads = products.Keys.ToList();
        var uses = await db.SbomComponents.AsNoTracking()
            .Where(c => uploads.Contains(c.UploadId) && c.PackageKey != null && !c.IsRoot)
            .Select(c => new { c.UploadId, c.PackageKey, c.Depth })
            .ToListAsync(cancellation);
        var usage = uses.GroupBy(u => u.PackageKey!, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (Products: g.Select(u => products[u.UploadId]).Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase).ToList(), Direct: g.Any(u => u.Depth == 1)),
            StringComparer.Ordinal);

        var mappings = await db.PackageProjects.AsNoTracking().Where(m => m.OrganisationId == organisationId).ToListAsync(cancellation);
        var unresolved = await db.UnresolvedPackages.AsNoTracking().Where(u => u.OrganisationId == organisationId).ToListAsync(cancellation);
        var manual = await db.ManualMappings.AsNoTracking().Where(m => m.OrganisationId == organisationId).OrderBy(m => m.PackageKey)
            .Select(m => new ManualItem(m.PackageKey, m.ProjectKey, m.CreatedAt)).ToListAsync(cancellation);
        var names = await PackageNamesAsync(db, mappings.Select(m => m.PackageKey).Concat(unresolved.Select(u => u.PackageKey)), cancellation);

        // Packages no longer in a current SBOM stay mapped until the next run; the page shows only what is in use.
        var projects = mappings.Where(m => usage.ContainsKey(m.PackageKey))
            .GroupBy(m => m.ProjectKey, StringComparer.Ordinal)
            .Select(g =>
            {
                var packages = g.Select(m => new ProjectPackage(m.PackageKey, names.GetValueOrDefault(m.PackageKey)?.Name ?? m.PackageKey, m.Source, usage[m.PackageKey].Direct))
                    .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
                var using_ = g.SelectMany(m => usage[m.PackageKey].Products).Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase).ToList();
                return new ProjectItem(g.Key, "https://" + g.Key, packages, using_, packages.Any(p => p.Direct));
            })
            .OrderByDescending(p => p.Packages.Count).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        var unresolvedItems = unresolved.Where(u => usage.ContainsKey(u.PackageKey))
            .Select(u =>
            {
                var (ecosystem, name) = names.GetValueOrDefault(u.PackageKey) ?? new PackageName("", u.PackageKey);
                return new UnresolvedItem(u.PackageKey, ecosystem, name, u.Reason, u.Detail, usage[u.PackageKey].Products, usage[u.PackageKey].Direct);
            })
            .OrderByDescending(u => u.Direct).ThenBy(u => u.Name, StringComparer.Ordinal)
            .ToList();

        var seen = mappings.Select(m => m.PackageKey).Concat(unresolved.Select(u => u.PackageKey)).ToHashSet(StringComparer.Ordinal);
        var last = mappings.Select(m => (DateTimeOffset?)m.ResolvedAt).Concat(unresolved.Select(u => (DateTimeOffset?)u.CheckedAt)).Max();
        return new ProjectsView(projects, unresolvedItems, manual, usage.Count, usage.Keys.Count(k => !seen.Contains(k)), last);
    }

    private static async Task<Dictionary<string, PackageName>> PackageNamesAsync(SustainDbContext db, IEnumerable<string> keys, CancellationToken cancellation)
    {
        var names = new Dictionary<string, PackageName>(StringComparer.Ordinal);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            foreach (var package in await db.Packages.AsNoTracking().Where(p => chunk.Contains(p.Key)).Select(p => new { p.Key, p.Ecosystem, p.Name }).ToListAsync(cancellation))
                names[package.Key] = new PackageName(package.Ecosystem, package.Name);
        }

        return names;
    }

    /// <summary>
    /// Maps one of the organisation's packages to a repository by hand, and applies it at once, as
    /// the resolver would. Returns an error message for the form, or null when done.
    /// </summary>
    public async Task<string?> MapAsync(OrgAccess access, string packageKey, string repositoryUrl, CancellationToken cancellation = default)
    {
        if (!access.IsAdmin || access.UserId is null)
            return "Only an owner or admin can map packages by hand.";
        packageKey = packageKey.Trim();
        if (!ProjectKey.TryFromRepositoryUrl(repositoryUrl, out var project, out var reason))
            return $"Repository: {reason}. Give a URL such as https://github.com/owner/repository.";
        if (project.Length > 400)
            return "Repository: the URL is too long.";

        var organisationId = access.Organisation.Id;
        using var held = await locks.ForOrganisationAsync(organisationId, cancellation);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var uploads = await db.Products.Where(p => p.OrganisationId == organisationId && p.CurrentUploadId != null).Select(p => p.CurrentUploadId!.Value).ToListAsync(cancellation);
        var row = await db.SbomComponents.AsNoTracking()
            .Where(c => uploads.Contains(c.UploadId) && c.PackageKey == packageKey)
            .Select(c => new { c.Ecosystem, c.Name })
            .FirstOrDefaultAsync(cancellation);
        if (row is null)
            return $"Package: '{packageKey}' is not in any of this organisation's current SBOMs.";

        var now = clock.GetUtcNow();
        using var shared = await locks.ForSharedRowsAsync(cancellation);
        if (!await db.Packages.AnyAsync(p => p.Key == packageKey, cancellation))
        {
            var name = Sustain.Core.Purls.Purl.TryParse(packageKey, out var purl, out _) ? RegistryPackage.NameOf(purl) : row.Name ?? packageKey;
            db.Packages.Add(new Package { Key = packageKey, Ecosystem = row.Ecosystem ?? "", Name = name, FirstSeenAt = now });
        }

        if (!await db.Projects.AnyAsync(p => p.Key == project, cancellation))
            db.Projects.Add(ProjectResolver.NewProject(project, now));

        var manual = await db.ManualMappings.FindAsync([organisationId, packageKey], cancellation);
        if (manual is null)
            db.ManualMappings.Add(new ManualMapping { OrganisationId = organisationId, PackageKey = packageKey, ProjectKey = project, CreatedByUserId = access.UserId, CreatedAt = now });
        else
            (manual.ProjectKey, manual.CreatedByUserId, manual.CreatedAt) = (project, access.UserId, now);

        var mapping = await db.PackageProjects.FindAsync([organisationId, packageKey], cancellation);
        if (mapping is null)
            db.PackageProjects.Add(new PackageProject { OrganisationId = organisationId, PackageKey = packageKey, ProjectKey = project, Source = MappingSource.Manual, ResolvedAt = now });
        else if (mapping.ProjectKey != project || mapping.Source != MappingSource.Manual)
            (mapping.ProjectKey, mapping.Source, mapping.ResolvedAt) = (project, MappingSource.Manual, now);

        if (await db.UnresolvedPackages.FindAsync([organisationId, packageKey], cancellation) is { } unresolved)
            db.UnresolvedPackages.Remove(unresolved);
        await db.SaveChangesAsync(cancellation);
        return null;
    }

    /// <summary>Removes a manual mapping; the package is resolved from the SBOM or the registry on the next run.</summary>
    public async Task<string?> UnmapAsync(OrgAccess access, string packageKey, CancellationToken cancellation = default)
    {
        if (!access.IsAdmin)
            return "Only an owner or admin can remove a manual mapping.";
        var organisationId = access.Organisation.Id;
        using var held = await locks.ForOrganisationAsync(organisationId, cancellation);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var removed = await db.ManualMappings.Where(m => m.OrganisationId == organisationId && m.PackageKey == packageKey).ExecuteDeleteAsync(cancellation);
        await db.PackageProjects.Where(m => m.OrganisationId == organisationId && m.PackageKey == packageKey && m.Source == MappingSource.Manual).ExecuteDeleteAsync(cancellation);
        return removed == 0 ? "That package has no manual mapping." : null;
    }
}
