using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Web.Organisations;

namespace Sustain.Web.Sboms;

/// <summary>A package in a diff: its versions before and after (several when a document lists the package more than once).</summary>
public sealed record DiffEntry(string Name, string? Package, IReadOnlyList<string> FromVersions, IReadOnlyList<string> ToVersions);

public sealed record UploadDiff(UploadSummary From, UploadSummary To, IReadOnlyList<DiffEntry> Added, IReadOnlyList<DiffEntry> Removed, IReadOnlyList<DiffEntry> Changed, int Unchanged);

public enum DiffProblem
{
    None,
    NotFound,
    SameUpload,
}

/// <summary>
/// What changed between two uploads of a product: packages added, removed, and at another version.
/// A package is its package URL without version; a component without one is matched by name.
/// </summary>
public sealed class UploadComparison(IDbContextFactory<SustainDbContext> contexts)
{
    public async Task<(UploadDiff? Diff, DiffProblem Problem)> CompareAsync(OrgAccess access, string product, Guid from, Guid to, CancellationToken cancellation = default)
    {
        if (from == to)
            return (null, DiffProblem.SameUpload);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var productId = await db.Products.AsNoTracking()
            .Where(p => p.OrganisationId == access.Organisation.Id && p.Slug == product)
            .Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellation);
        if (productId is null)
            return (null, DiffProblem.NotFound);
        var uploads = await db.SbomUploads.AsNoTracking().Where(u => u.ProductId == productId && (u.Id == from || u.Id == to)).ToListAsync(cancellation);
        if (uploads.Count != 2)
            return (null, DiffProblem.NotFound);

        var before = await PackagesAsync(db, from, cancellation);
        var after = await PackagesAsync(db, to, cancellation);
        var added = new List<DiffEntry>();
        var removed = new List<DiffEntry>();
        var changed = new List<DiffEntry>();
        var unchanged = 0;
        foreach (var (key, now) in after)
        {
            if (!before.TryGetValue(key, out var then))
                added.Add(new DiffEntry(now.Name, now.Key, [], now.Versions));
            else if (!then.Versions.SequenceEqual(now.Versions))
                changed.Add(new DiffEntry(now.Name, now.Key, then.Versions, now.Versions));
            else
                unchanged++;
        }

        foreach (var (key, then) in before)
        {
            if (!after.ContainsKey(key))
                removed.Add(new DiffEntry(then.Name, then.Key, then.Versions, []));
        }

        static List<DiffEntry> ByName(List<DiffEntry> entries) => entries.OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Package, StringComparer.Ordinal).ToList();
        var fromUpload = uploads.Single(u => u.Id == from);
        var toUpload = uploads.Single(u => u.Id == to);
        return (new UploadDiff(UploadSummary.Of(fromUpload, product), UploadSummary.Of(toUpload, product), ByName(added), ByName(removed), ByName(changed), unchanged), DiffProblem.None);
    }

    private sealed record Package(string Name, string? Key, List<string> Versions);

    private static async Task<Dictionary<string, Package>> PackagesAsync(SustainDbContext db, Guid upload, CancellationToken cancellation)
    {
        var rows = await db.SbomComponents.AsNoTracking()
            .Where(c => c.UploadId == upload && !c.IsRoot)
            .Select(c => new { c.Name, c.Version, c.PackageKey })
            .ToListAsync(cancellation);
        var packages = new Dictionary<string, Package>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var name = row.Name ?? row.PackageKey ?? "(unnamed)";
            var key = row.PackageKey ?? "name:" + name.ToLowerInvariant();
            if (!packages.TryGetValue(key, out var package))
                packages[key] = package = new Package(name, row.PackageKey, []);
            var version = row.Version ?? "";
            if (!package.Versions.Contains(version))
                package.Versions.Add(version);
        }

        foreach (var package in packages.Values)
            package.Versions.Sort(StringComparer.Ordinal);
        return packages;
    }
}
