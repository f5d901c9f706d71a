using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Core.Allocation;
using Sustain.Core.Graphs;
using Sustain.Core.Projects;
using Sustain.Core.Purls;
using Sustain.Data;
using Sustain.Data.Projects;
using Sustain.Web.Organisations;
using Sustain.Web.Sboms;

using Sustain.Web.Projects;

namespace Sustain.Web.Allocations;

/// <summary>Packages the SBOMs use that are not projects, for one reason, with a few of their names.</summary>
public sealed record LeftOutPackages(string Reason, int Count, IReadOnlyList<string> Examples);

/// <summary>
/// What an organisation's allocation is computed from, read once from the database: each product's
/// current SBOM as a dependency graph, the package→project mapping the resolver found, and what is
/// known of the projects. Packages that resolve to no project still pass reliance on through the graph,
/// but are never funded themselves: they all map to <see cref="UnresolvedProject"/>, which is always
/// excluded, so their share is re-spread over the real projects and <see cref="LeftOut"/> says why.
/// </summary>
public sealed class AllocationBasis
{
    /// <summary>The stand-in project of every unresolved package; never a real project key (those have a host and a slash).</summary>
    public const string UnresolvedProject = "(unresolved packages)";

    private readonly IReadOnlyList<ProductGraph> _products;
    private readonly Dictionary<string, string> _projectOfPackage;
    private readonly Dictionary<string, ProjectAttributes> _projects;

    internal AllocationBasis(
        IReadOnlyList<ProductGraph> products,
        IReadOnlyDictionary<string, string> productNames,
        Dictionary<string, string> projectOfPackage,
        Dictionary<string, ProjectAttributes> projects,
        IReadOnlyDictionary<string, string> packageNames,
        IReadOnlyList<LeftOutPackages> leftOut)
    {
        _products = products;
        ProductNames = productNames;
        _projectOfPackage = projectOfPackage;
        _projects = projects;
        PackageNames = packageNames;
        LeftOut = leftOut;
    }

    /// <summary>Product slug → name, for every product with a current SBOM.</summary>
    public IReadOnlyDictionary<string, string> ProductNames { get; }

    /// <summary>Package key → the name people know it by (<c>react</c>, <c>org.slf4j:slf4j-api</c>).</summary>
    public IReadOnlyDictionary<string, string> PackageNames { get; }

    public IReadOnlyList<LeftOutPackages> LeftOut { get; }

    public int LeftOutCount => LeftOut.Sum(l => l.Count);

    public bool HasProducts => _products.Count > 0;

    public string ProductName(string slug) => ProductNames.GetValueOrDefault(slug, slug);

    public string PackageName(string key) => PackageNames.GetValueOrDefault(key, key);

    /// <summary>The engine's input under the organisation's exclude list and pins. Preparing it is the costly step; allocate from the model as often as needed.</summary>
    public AllocationModel Prepare(StoredPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var input = new AllocationInput
        {
            Budget = Money.Zero(policy.Currency),
            Products = _products,
            ProjectOfPackage = _projectOfPackage,
            Projects = _projects,
            Excluded = [.. policy.Settings.ExcludeList, UnresolvedProject],
            Pins = policy.Settings.ToPins(policy.Currency),
        };
        return AllocationModel.Prepare(input);
    }

    /// <summary>The shares people see: every real project, without the stand-in for unresolved packages (which never receives money).</summary>
    public static IEnumerable<AllocationShare> Visible(Allocation allocation) =>
        allocation.Shares.Where(s => s.ProjectKey != UnresolvedProject);
}

/// <summary>Reads an organisation's <see cref="AllocationBasis"/>. Callers have asked <see cref="OrganisationAccess"/>.</summary>
public sealed class AllocationBasisReader(IDbContextFactory<SustainDbContext> contexts, IOptions<ProjectsOptions> projects)
{
    private const int QueryChunk = 500;

    /// <summary>Slug and name of each product with a current SBOM, the products a policy can weigh.</summary>
    public async Task<List<(string Slug, string Name)>> ProductsAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var products = await db.Products.AsNoTracking()
            .Where(p => p.OrganisationId == organisationId && p.CurrentUploadId != null)
            .OrderBy(p => p.Slug)
            .Select(p => new { p.Slug, p.Name })
            .ToListAsync(cancellation);
        return [.. products.Select(p => (p.Slug, p.Name))];
    }

    public async Task<AllocationBasis> ReadAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var products = await db.Products.AsNoTracking()
            .Where(p => p.OrganisationId == organisationId && p.CurrentUploadId != null)
            .OrderBy(p => p.Slug)
            .Select(p => new { p.Slug, p.Name, UploadId = p.CurrentUploadId!.Value })
            .ToListAsync(cancellation);

        var graphs = new List<ProductGraph>(products.Count);
        var ownProjects = new HashSet<string>(StringComparer.Ordinal);
        var noPurl = new HashSet<string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var product in products)
        {
            var upload = await db.SbomUploads.AsNoTracking().Where(u => u.Id == product.UploadId)
                .Select(u => new { u.ComponentCount, u.GraphAbsent, u.EdgesCompressed }).SingleAsync(cancellation);
            var rows = await db.SbomComponents.AsNoTracking().Where(c => c.UploadId == product.UploadId)
                .Select(c => new { c.Index, c.PackageKey, c.Name, c.Ref, c.IsRoot, c.Depth, c.Purl, c.VcsUrl, c.Website })
                .ToListAsync(cancellation);
            var count = Math.Max(upload.ComponentCount, rows.Count == 0 ? 0 : rows.Max(r => r.Index) + 1);
            var keys = new string[count];
            var roots = new List<int>();
            foreach (var row in rows)
            {
                keys[row.Index] = row.PackageKey ?? row.Name ?? row.Ref;
                if (row.IsRoot)
                {
                    roots.Add(row.Index);
                    var purl = row.Purl is { } text && Purl.TryParseLenient(text, out var parsed, out _, out _) ? parsed : null;
                    if (ProjectKey.TryFromSbom(purl, [row.VcsUrl], [row.Website], out var own, out _))
                        ownProjects.Add(own);
                    continue;
                }

                if (row.Depth < 0)
                    continue;
                used.Add(keys[row.Index]);
                if (row.PackageKey is null)
                    noPurl.Add(keys[row.Index]);
                if (row.Name is { Length: > 0 } name)
                    names.TryAdd(keys[row.Index], name);
            }

            for (var i = 0; i < keys.Length; i++)
                keys[i] ??= $"(component {i})";
            roots.Sort();
            var edges = SbomIngestion.DecompressEdges(upload.EdgesCompressed);
            graphs.Add(new ProductGraph(product.Slug, DependencyGraph.Build(count, edges, roots, upload.GraphAbsent), keys));
        }

        var mappings = await db.PackageProjects.AsNoTracking().Where(m => m.OrganisationId == organisationId)
            .Select(m => new { m.PackageKey, m.ProjectKey }).ToListAsync(cancellation);
        var unresolved = await db.UnresolvedPackages.AsNoTracking().Where(u => u.OrganisationId == organisationId)
            .Select(u => new { u.PackageKey, u.Reason }).ToListAsync(cancellation);

        var projectOfPackage = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mapping in mappings)
        {
            if (used.Contains(mapping.PackageKey))
                projectOfPackage[mapping.PackageKey] = mapping.ProjectKey;
        }

        var reasons = unresolved.ToDictionary(u => u.PackageKey, u => u.Reason, StringComparer.Ordinal);
        var leftOut = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var package in used.Order(StringComparer.Ordinal))
        {
            if (projectOfPackage.ContainsKey(package))
                continue;
            projectOfPackage[package] = AllocationBasis.UnresolvedProject;
            var reason = noPurl.Contains(package) ? "the SBOM gives no package URL, so Sustain cannot look the package up"
                : reasons.TryGetValue(package, out var known) ? Describe(known)
                : "not looked up yet: run Resolve on the Projects page";
            if (!leftOut.TryGetValue(reason, out var list))
                leftOut[reason] = list = [];
            list.Add(names.GetValueOrDefault(package, package));
        }

        var projects = await AttributesAsync(db, projectOfPackage, ownProjects, cancellation);
        var productNames = products.ToDictionary(p => p.Slug, p => p.Name, StringComparer.Ordinal);
        var leftOutGroups = leftOut.OrderByDescending(l => l.Value.Count).Select(l => new LeftOutPackages(l.Key, l.Value.Count, [.. l.Value.Take(5)])).ToList();
        return new AllocationBasis(graphs, productNames, projectOfPackage, projects, names, leftOutGroups);
    }

    /// <summary>
    /// What the policy's modifiers need per project: the organisation's own projects, company-owned
    /// ones (an owner on <c>Projects:CompanyOrganisations</c>), archived ones and dependents (the most
    /// any of its packages has, or what GitHub signals say) from the stored signals.
    /// </summary>
    private async Task<Dictionary<string, ProjectAttributes>> AttributesAsync(SustainDbContext db, Dictionary<string, string> projectOfPackage, HashSet<string> own, CancellationToken cancellation)
    {
        var dependents = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in projectOfPackage.Where(p => p.Value != AllocationBasis.UnresolvedProject).Select(p => p.Key).Chunk(QueryChunk))
        {
            var counts = await db.Packages.AsNoTracking().Where(p => chunk.Contains(p.Key))
                .Select(p => new { p.Key, Count = p.DependentReposCount ?? p.DependentPackagesCount ?? 0 }).ToListAsync(cancellation);
            foreach (var count in counts)
            {
                var project = projectOfPackage[count.Key];
                dependents[project] = Math.Max(dependents.GetValueOrDefault(project), count.Count);
            }
        }

        var keys = projectOfPackage.Values.Where(p => p != AllocationBasis.UnresolvedProject).Concat(own).Distinct(StringComparer.Ordinal).ToList();
        var archived = new HashSet<string>(StringComparer.Ordinal);
        var companyOwned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(QueryChunk))
        {
            var facts = await (
                from p in db.Projects.AsNoTracking()
                where chunk.Contains(p.Key)
                join signal in db.ProjectSignals.AsNoTracking() on p.Key equals signal.ProjectKey into found
                from signal in found.DefaultIfEmpty()
                select new { p.Key, p.Host, p.Owner, Archived = signal == null ? null : signal.Archived, Dependents = signal == null ? null : signal.Dependents })
                .ToListAsync(cancellation);
            foreach (var fact in facts)
            {
                if (fact.Archived == true)
                    archived.Add(fact.Key);
                if (projects.Value.IsCompany(fact.Host, fact.Owner))
                    companyOwned.Add(fact.Key);
                if (fact.Dependents is { } count)
                    dependents[fact.Key] = Math.Max(dependents.GetValueOrDefault(fact.Key), count);
            }
        }

        var attributes = new Dictionary<string, ProjectAttributes>(StringComparer.Ordinal);
        foreach (var project in keys)
        {
            attributes[project] = new ProjectAttributes
            {
                OwnedByOrganisation = own.Contains(project),
                OwnedByCompany = companyOwned.Contains(project),
                Archived = archived.Contains(project),
                Dependents = dependents.GetValueOrDefault(project),
            };
        }

        return attributes;
    }

    private static string Describe(UnresolvedReason reason) => reason switch
    {
        UnresolvedReason.NoRepositoryInSbom => "the SBOM names no repository, and there is no registry to ask",
        UnresolvedReason.RegistryNotFound => "the package registry does not know the package",
        UnresolvedReason.RegistryNoRepository => "the package registry names no repository",
        UnresolvedReason.RegistryNotCodeHost => "the registry's link is not a code repository",
        UnresolvedReason.RegistryUnavailable => "the package registry could not be reached; the next run asks again",
        _ => reason.ToString(),
    };
}
