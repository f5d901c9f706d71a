using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Core.Projects;
using Sustain.Data;
using Sustain.Data.Projects;
using Sustain.Web.Organisations;
using Sustain.Web.Sboms;

namespace Sustain.Web.Projects;

/// <summary>How one product uses a project: through which package, how deep, and the chain from the product to it.</summary>
public sealed record ProjectUse(string Product, string ProductName, string PackageKey, string? PackageName, int Depth, IReadOnlyList<string> Path)
{
    public bool Direct => Depth == 1;
}

/// <summary>A way to fund a project, and which file or registry named it.</summary>
public sealed record FundingLink(string Platform, string Label, string? Url, string Source);

/// <summary>Everything the project page shows.</summary>
public sealed record ProjectDetail(
    Project Project,
    ProjectSignals? Signals,
    bool CompanyOwned,
    RiskAssessment Risk,
    IReadOnlyList<FundingLink> Funding,
    IReadOnlyList<string> Maintainers,
    IReadOnlyList<ProjectUse> Uses);

/// <summary>One row of "Your riskiest dependencies": how much the organisation relies on a project, how fragile it is, and why.</summary>
public sealed record RiskRow(string Key, double Reliance, string RelianceReason, RiskAssessment Risk, bool CompanyOwned, SignalsStatus? Status, IReadOnlyList<string> Products)
{
    /// <summary>Reliance × fragility: what the page ranks by.</summary>
    public double Exposure => Reliance * Risk.Score;
}

public sealed record RisksView(IReadOnlyList<RiskRow> Rows, int Projects, int WithoutSignals, bool HasDemoSignals);

/// <summary>
/// The project page's and the risks page's questions. Callers have asked <see cref="OrganisationAccess"/>;
/// a project the organisation does not use is answered as if it did not exist.
/// </summary>
public sealed class ProjectInsights(IDbContextFactory<SustainDbContext> contexts, DependencyQuery dependencies, IOptions<ProjectsOptions> options, TimeProvider clock)
{
    private const int QueryChunk = 500;

    /// <summary>A project the organisation uses, with its signals and how each product uses it; null when it uses no such project.</summary>
    public async Task<ProjectDetail?> DetailAsync(OrgAccess access, string key, CancellationToken cancellation = default)
    {
        key = Uri.UnescapeDataString(key).Trim().Trim('/').ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var organisationId = access.Organisation.Id;
        var packageKeys = await db.PackageProjects.AsNoTracking()
            .Where(m => m.OrganisationId == organisationId && m.ProjectKey == key)
            .Select(m => m.PackageKey)
            .ToListAsync(cancellation);
        if (packageKeys.Count == 0)
            return null;
        var usage = await UsageAsync(db, organisationId, packageKeys, cancellation);
        if (usage.Count == 0)
            return null;
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Key == key, cancellation);
        if (project is null)
            return null;
        var signals = await db.ProjectSignals.AsNoTracking().SingleOrDefaultAsync(s => s.ProjectKey == key, cancellation);
        var packages = await db.Packages.AsNoTracking().Where(p => packageKeys.Contains(p.Key)).Select(p => new { p.Key, p.Name, p.FundingLinks }).ToListAsync(cancellation);
        var registryLinks = packages.SelectMany(p => Lines(p.FundingLinks)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        var uses = new List<ProjectUse>();
        foreach (var use in usage.OrderBy(u => u.Depth < 1 ? int.MaxValue : u.Depth).ThenBy(u => u.Product, StringComparer.Ordinal))
        {
            var path = await dependencies.PathAsync(access, use.Product, use.Index, cancellation);
            var names = path?.Steps.Select(s => s.Name ?? s.Purl ?? "?").ToList() ?? [];
            uses.Add(new ProjectUse(use.Product, use.ProductName, use.PackageKey, packages.Find(p => p.Key == use.PackageKey)?.Name, use.Depth, names));
        }

        var company = options.Value.IsCompany(project.Host, project.Owner);
        var funding = StoredFundingChannel.Parse(signals?.FundingChannelsJson)
            .Select(c => new FundingLink(c.Platform, c.Url ?? c.Handle, c.Url, c.Sources.Replace("FundingYml", "FUNDING.yml", StringComparison.Ordinal).Replace("FundingJson", "funding.json", StringComparison.Ordinal)))
            .ToList();
        foreach (var link in registryLinks.Where(l => !funding.Any(f => string.Equals(f.Url?.TrimEnd('/'), l.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))))
            funding.Add(new FundingLink("Registry", link, Uri.TryCreate(link, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? link : null, "ecosyste.ms"));

        var maintainers = (signals?.MaintainerLogins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return new ProjectDetail(project, signals, company, ProjectRisk.Assess(HealthOf(signals, registryLinks.Count, company), clock.GetUtcNow()), funding, maintainers, uses);
    }

    /// <summary>The organisation's projects, most exposed first: reliance (summed over products, 1 for a direct use, 1/depth for a transitive one) × fragility.</summary>
    public async Task<RisksView> RisksAsync(OrgAccess access, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var organisationId = access.Organisation.Id;
        var mappings = await db.PackageProjects.AsNoTracking().Where(m => m.OrganisationId == organisationId)
            .ToDictionaryAsync(m => m.PackageKey, m => m.ProjectKey, StringComparer.Ordinal, cancellation);
        var usage = await UsageAsync(db, organisationId, null, cancellation);
        var byProject = usage.Where(u => mappings.ContainsKey(u.PackageKey)).GroupBy(u => mappings[u.PackageKey], StringComparer.Ordinal).ToList();
        var keys = byProject.Select(g => g.Key).ToList();

        var projects = new Dictionary<string, Project>(StringComparer.Ordinal);
        var signals = new Dictionary<string, ProjectSignals>(StringComparer.Ordinal);
        var links = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(QueryChunk))
        {
            foreach (var project in await db.Projects.AsNoTracking().Where(p => chunk.Contains(p.Key)).ToListAsync(cancellation))
                projects[project.Key] = project;
            foreach (var row in await db.ProjectSignals.AsNoTracking().Where(s => chunk.Contains(s.ProjectKey)).ToListAsync(cancellation))
                signals[row.ProjectKey] = row;
        }

        var packageKeys = usage.Select(u => u.PackageKey).Where(mappings.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in packageKeys.Chunk(QueryChunk))
        {
            foreach (var package in await db.Packages.AsNoTracking().Where(p => chunk.Contains(p.Key) && p.FundingLinks != null).Select(p => new { p.Key, p.FundingLinks }).ToListAsync(cancellation))
                links[mappings[package.Key]] = links.GetValueOrDefault(mappings[package.Key]) + Lines(package.FundingLinks).Length;
        }

        var now = clock.GetUtcNow();
        var rows = new List<RiskRow>();
        foreach (var group in byProject)
        {
            if (!projects.TryGetValue(group.Key, out var project))
                continue;
            var perProduct = group.GroupBy(u => u.Product, StringComparer.Ordinal)
                .Select(p => p.OrderBy(u => u.Depth < 1 ? int.MaxValue : u.Depth).First())
                .OrderBy(u => u.Depth < 1 ? int.MaxValue : u.Depth).ThenBy(u => u.Product, StringComparer.Ordinal)
                .ToList();
            var reliance = perProduct.Sum(u => u.Depth >= 1 ? 1.0 / u.Depth : 0.25);
            var reason = string.Join("; ", perProduct.Select(u => u.Depth == 1 ? $"direct in {u.ProductName}" : u.Depth > 1 ? string.Create(CultureInfo.InvariantCulture, $"depth {u.Depth} in {u.ProductName}") : $"in {u.ProductName} (not reachable from its root)"));
            signals.TryGetValue(group.Key, out var row);
            var company = options.Value.IsCompany(project.Host, project.Owner);
            var risk = ProjectRisk.Assess(HealthOf(row, links.GetValueOrDefault(group.Key), company), now);
            rows.Add(new RiskRow(group.Key, reliance, reason, risk, company, row?.Status, perProduct.Select(u => u.ProductName).ToList()));
        }

        var ranked = rows.OrderByDescending(r => r.Exposure).ThenByDescending(r => r.Risk.Score).ThenByDescending(r => r.Reliance).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        var withoutSignals = rows.Count(r => r.Status is null or SignalsStatus.NotOnGitHub or SignalsStatus.RepositoryNotFound || (r.Status == SignalsStatus.Failed && r.Risk.Unknown.Count > 0));
        return new RisksView(ranked, rows.Count, withoutSignals, rows.Any(r => r.Status == SignalsStatus.Demo));
    }

    /// <summary>The signals as the risk function reads them; <paramref name="registryFundingLinks"/> count as funding channels wherever the files are unknown.</summary>
    public static ProjectHealth HealthOf(ProjectSignals? signals, int registryFundingLinks, bool companyOwned)
    {
        var channels = StoredFundingChannel.Parse(signals?.FundingChannelsJson).Count;
        int? funding = signals?.FundingChannelsJson is not null ? channels + registryFundingLinks : registryFundingLinks > 0 ? registryFundingLinks : null;
        return new ProjectHealth
        {
            Archived = signals?.Archived,
            Maintainers = signals?.Maintainers,
            LatestReleaseAt = signals?.LatestReleaseAt,
            LastPushAt = signals?.LastPushAt,
            FundingChannels = funding,
            Dependents = signals?.Dependents,
            CompanyOwned = companyOwned,
        };
    }

    /// <summary>Per product and package, the shallowest use of each package in the current uploads (restricted to <paramref name="packageKeys"/> when given).</summary>
    private static async Task<List<PackageUse>> UsageAsync(SustainDbContext db, Guid organisationId, List<string>? packageKeys, CancellationToken cancellation)
    {
        var products = await db.Products.AsNoTracking()
            .Where(p => p.OrganisationId == organisationId && p.CurrentUploadId != null)
            .Select(p => new { Upload = p.CurrentUploadId!.Value, p.Slug, p.Name })
            .ToListAsync(cancellation);
        var uploads = products.Select(p => p.Upload).ToList();
        var rows = db.SbomComponents.AsNoTracking().Where(c => uploads.Contains(c.UploadId) && c.PackageKey != null && !c.IsRoot);
        if (packageKeys is not null)
            rows = rows.Where(c => packageKeys.Contains(c.PackageKey!));
        var found = await rows.Select(c => new { c.UploadId, c.PackageKey, c.Depth, c.Index }).ToListAsync(cancellation);
        var byUpload = products.ToDictionary(p => p.Upload);
        return found
            .GroupBy(c => (c.UploadId, c.PackageKey))
            .Select(g => g.OrderBy(c => c.Depth < 1 ? int.MaxValue : c.Depth).ThenBy(c => c.Index).First())
            .Select(c => new PackageUse(byUpload[c.UploadId].Slug, byUpload[c.UploadId].Name, c.PackageKey!, c.Depth, c.Index))
            .ToList();
    }

    private static string[] Lines(string? text) => (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed record PackageUse(string Product, string ProductName, string PackageKey, int Depth, int Index);
}
