using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Sboms;
using Sustain.Web.Organisations;

namespace Sustain.Web.Sboms;

public sealed record ComponentItem(string Product, string ProductName, int Index, string? Name, string? Version, string? Purl, string? Ecosystem, string? Licenses, int Depth);

public sealed record ComponentPage(IReadOnlyList<ComponentItem> Items, int Total, int Page, int PageSize);

public sealed record PathStep(int Index, string? Name, string? Version, string? Purl, int Depth, bool IsRoot);

/// <summary>Why a component is in a product: a shortest chain from the product root to it. Empty steps when nothing reaches it.</summary>
public sealed record ComponentPath(string Product, int Index, IReadOnlyList<PathStep> Steps);

/// <summary>A product as the dependency view shows it: its short name, for links and filters, and its name, for people.</summary>
public sealed record ProductLabel(string Slug, string Name);

public sealed record ComponentFacets(IReadOnlyList<ProductLabel> Products, IReadOnlyList<string> Ecosystems, IReadOnlyList<string> Licenses, int MaxDepth);

/// <summary>
/// The dependency view's questions, asked by the pages and the API alike: pages of the current
/// uploads' components, the path that explains one, and the values the filters offer. Callers have
/// already asked <see cref="OrganisationAccess"/>; every query here is scoped to that organisation.
/// Each call uses its own short-lived context, so a page's circuit never holds one.
/// </summary>
public sealed class DependencyQuery(IDbContextFactory<SustainDbContext> contexts)
{
    private const int FacetLimit = 200;

    /// <summary>The products' current uploads, each product by its upload's id; null when the named product is not the organisation's.</summary>
    private static async Task<Dictionary<Guid, ProductLabel>?> CurrentUploadsAsync(SustainDbContext db, OrgAccess access, string? product, CancellationToken cancellation)
    {
        var products = db.Products.AsNoTracking().Where(p => p.OrganisationId == access.Organisation.Id);
        if (product is not null)
        {
            var found = await products.Where(p => p.Slug == product).Select(p => new { p.Slug, p.Name, p.CurrentUploadId }).SingleOrDefaultAsync(cancellation);
            if (found is null)
                return null;
            return found.CurrentUploadId is { } id ? new Dictionary<Guid, ProductLabel> { [id] = new(found.Slug, found.Name) } : [];
        }

        return await products.Where(p => p.CurrentUploadId != null)
            .ToDictionaryAsync(p => p.CurrentUploadId!.Value, p => new ProductLabel(p.Slug, p.Name), cancellation);
    }

    /// <summary>One page of components; null when the filter names a product the organisation does not have.</summary>
    public async Task<ComponentPage?> ComponentsAsync(OrgAccess access, ComponentFilter filter, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var uploads = await CurrentUploadsAsync(db, access, filter.Product, cancellation);
        if (uploads is null)
            return null;
        if (uploads.Count == 0)
            return new ComponentPage([], 0, filter.Page, filter.PageSize);

        var rows = Filtered(db, uploads.Keys.ToList(), filter);
        var total = await rows.CountAsync(cancellation);
        var items = await Sorted(rows, filter)
            .Skip((filter.Page - 1) * filter.PageSize)
            .Take(filter.PageSize)
            .Select(c => new { c.UploadId, c.Index, c.Name, c.Version, c.Purl, c.Ecosystem, c.Licenses, c.Depth })
            .ToListAsync(cancellation);
        return new ComponentPage(
            items.Select(c => new ComponentItem(uploads[c.UploadId].Slug, uploads[c.UploadId].Name, c.Index, c.Name, c.Version, c.Purl, c.Ecosystem, c.Licenses, c.Depth)).ToList(),
            total, filter.Page, filter.PageSize);
    }

    private static IQueryable<SbomComponentRow> Filtered(SustainDbContext db, List<Guid> uploads, ComponentFilter filter)
    {
        // The root is the product itself, not one of its components.
        var rows = db.SbomComponents.AsNoTracking().Where(c => !c.IsRoot);
        if (uploads.Count == 1)
        {
            var upload = uploads[0];
            rows = rows.Where(c => c.UploadId == upload);
        }
        else
        {
            rows = rows.Where(c => uploads.Contains(c.UploadId));
        }

        if (filter.Search is { } search)
        {
            var lowered = search.ToLowerInvariant();
            rows = rows.Where(c => c.SearchText.Contains(lowered));
        }

        rows = filter.Scope switch
        {
            ComponentScope.Direct => rows.Where(c => c.Depth == 1),
            ComponentScope.Transitive => rows.Where(c => c.Depth > 1),
            _ => rows,
        };
        if (filter.MaxDepth is { } max)
            rows = rows.Where(c => c.Depth >= 1 && c.Depth <= max);
        if (filter.Ecosystem is { } ecosystem)
            rows = rows.Where(c => c.Ecosystem == ecosystem);
        if (filter.License is { } license)
        {
            // Licences are stored joined with ", ": match one whole entry, not a substring of another.
            var first = license + ", ";
            var last = ", " + license;
            var middle = ", " + license + ", ";
            rows = rows.Where(c => c.Licenses == license || c.Licenses!.StartsWith(first) || c.Licenses!.EndsWith(last) || c.Licenses!.Contains(middle));
        }

        return rows;
    }

    private static IOrderedQueryable<SbomComponentRow> Sorted(IQueryable<SbomComponentRow> rows, ComponentFilter filter)
    {
        // Ties break on the upload and the index, so pages never overlap or skip.
        var sorted = (filter.Sort, filter.Descending) switch
        {
            // Unreachable components (depth -1) sort after the deepest reachable ones.
            (ComponentSort.Depth, false) => rows.OrderBy(c => c.Depth < 0 ? int.MaxValue : c.Depth).ThenBy(c => c.Name),
            (ComponentSort.Depth, true) => rows.OrderByDescending(c => c.Depth < 0 ? int.MaxValue : c.Depth).ThenBy(c => c.Name),
            // Components without an ecosystem or licence come last either way, on both providers (which disagree on where nulls sort).
            (ComponentSort.Ecosystem, false) => rows.OrderBy(c => c.Ecosystem == null).ThenBy(c => c.Ecosystem).ThenBy(c => c.Name),
            (ComponentSort.Ecosystem, true) => rows.OrderBy(c => c.Ecosystem == null).ThenByDescending(c => c.Ecosystem).ThenBy(c => c.Name),
            (ComponentSort.License, false) => rows.OrderBy(c => c.Licenses == null).ThenBy(c => c.Licenses).ThenBy(c => c.Name),
            (ComponentSort.License, true) => rows.OrderBy(c => c.Licenses == null).ThenByDescending(c => c.Licenses).ThenBy(c => c.Name),
            (_, false) => rows.OrderBy(c => c.Name),
            (_, true) => rows.OrderByDescending(c => c.Name),
        };
        return sorted.ThenBy(c => c.UploadId).ThenBy(c => c.Index);
    }

    /// <summary>
    /// A shortest chain from the product root to a component of its current upload, following the
    /// parents stored at upload. Null when the product or the component does not exist.
    /// </summary>
    public async Task<ComponentPath?> PathAsync(OrgAccess access, string product, int index, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var uploads = await CurrentUploadsAsync(db, access, product, cancellation);
        if (uploads is not { Count: 1 })
            return null;
        var upload = uploads.Keys.Single();

        var steps = new List<PathStep>();
        var seen = new HashSet<int>();
        for (var next = index; next >= 0 && seen.Add(next);)
        {
            var row = await db.SbomComponents.AsNoTracking()
                .Where(c => c.UploadId == upload && c.Index == next)
                .Select(c => new { c.Index, c.Name, c.Version, c.Purl, c.Depth, c.IsRoot, c.Parent })
                .SingleOrDefaultAsync(cancellation);
            if (row is null)
                break;
            steps.Add(new PathStep(row.Index, row.Name, row.Version, row.Purl, row.Depth, row.IsRoot));
            next = row.Depth > 0 ? row.Parent : -1;
        }

        if (steps.Count == 0)
            return null;
        if (steps[0].Depth < 0)
            return new ComponentPath(product, index, []);
        steps.Reverse();
        return new ComponentPath(product, index, steps);
    }

    /// <summary>What the filters offer for the current uploads: products, ecosystems, licences and the deepest depth.</summary>
    public async Task<ComponentFacets> FacetsAsync(OrgAccess access, string? product, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var uploads = await CurrentUploadsAsync(db, access, product, cancellation) ?? [];
        if (uploads.Count == 0)
            return new ComponentFacets([], [], [], 0);
        var ids = uploads.Keys.ToList();
        var rows = db.SbomComponents.AsNoTracking().Where(c => ids.Contains(c.UploadId));
        var ecosystems = await rows.Where(c => c.Ecosystem != null).Select(c => c.Ecosystem!).Distinct().OrderBy(e => e).Take(FacetLimit).ToListAsync(cancellation);
        var licenseEntries = await rows.Where(c => c.Licenses != null).Select(c => c.Licenses!).Distinct().Take(FacetLimit * 4).ToListAsync(cancellation);
        var licenses = licenseEntries.SelectMany(l => l.Split(", ")).Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase).Take(FacetLimit).ToList();
        var maxDepth = await db.SbomUploads.AsNoTracking().Where(u => ids.Contains(u.Id)).MaxAsync(u => (int?)u.MaxDepth, cancellation) ?? 0;
        return new ComponentFacets(uploads.Values.OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(p => p.Slug, StringComparer.Ordinal).ToList(), ecosystems, licenses, maxDepth);
    }
}
