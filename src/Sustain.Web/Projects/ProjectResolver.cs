using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Core.Projects;
using Sustain.Core.Purls;
using Sustain.Data;
using Sustain.Data.Projects;

namespace Sustain.Web.Projects;

/// <summary>How far a resolution run is: a stage, and within it how many of how many.</summary>
public sealed record ResolutionProgress(string Stage, int Done, int Total)
{
    public int Percent => Total == 0 ? 0 : (int)(Done * 100L / Total);
}

/// <summary>What a run found and what it changed; a second run over the same data changes nothing.</summary>
public sealed record ResolutionReport(
    int Packages,
    int FromSbom,
    int FromRegistry,
    int Manual,
    int Unresolved,
    int RegistryRequests,
    int CacheHits,
    int Added,
    int Changed,
    int Removed,
    TimeSpan Elapsed)
{
    public int Resolved => FromSbom + FromRegistry + Manual;

    public bool ChangedAnything => Added + Changed + Removed > 0;
}

/// <summary>
/// Maps each package an organisation's current SBOMs use to the project (source repository) it comes
/// from: first the organisation's manual mapping, then what the SBOM itself says, then the registry
/// (ecosyste.ms, cached). What cannot be mapped is kept with the reason. Idempotent: a run over
/// unchanged data writes nothing, so a job can run it as often as it likes.
/// </summary>
public sealed partial class ProjectResolver(
    IDbContextFactory<SustainDbContext> contexts,
    EcosystemsClient registry,
    IOptions<EcosystemsOptions> options,
    ResolutionLocks locks,
    TimeProvider clock,
    ILogger<ProjectResolver> logger)
{
    /// <summary>Keys per IN (...) query: well under both providers' parameter limits.</summary>
    private const int QueryChunk = 500;

    /// <summary>Registry answers are saved in batches of at most this many as they arrive, so an interrupted run keeps what it fetched.</summary>
    private const int SaveBatch = 256;

    public async Task<ResolutionReport> ResolveOrganisationAsync(Guid organisationId, IProgress<ResolutionProgress>? progress, CancellationToken cancellation)
    {
        using var held = await locks.ForOrganisationAsync(organisationId, cancellation);
        var watch = Stopwatch.StartNew();
        progress?.Report(new ResolutionProgress("Reading the SBOMs", 0, 0));

        var packages = await ReadPackagesAsync(organisationId, cancellation);
        Dictionary<string, string> manual;
        await using (var db = await contexts.CreateDbContextAsync(cancellation))
        {
            manual = await db.ManualMappings.AsNoTracking().Where(m => m.OrganisationId == organisationId)
                .ToDictionaryAsync(m => m.PackageKey, m => m.ProjectKey, StringComparer.Ordinal, cancellation);
        }

        var outcomes = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        var lookups = new List<PackageFacts>();
        IReadOnlyDictionary<string, string>? registries = null;
        foreach (var facts in packages.Values)
        {
            if (manual.TryGetValue(facts.Key, out var mapped))
            {
                outcomes[facts.Key] = Outcome.Mapped(mapped, MappingSource.Manual);
                continue;
            }

            if (facts.SbomProject is { } fromSbom)
            {
                outcomes[facts.Key] = Outcome.Mapped(fromSbom, MappingSource.Sbom);
                continue;
            }

            // The registry list is asked for only when some package needs a registry at all.
            registries ??= await registry.GetRegistriesAsync(cancellation);
            facts.Registry = RegistryPackage.EcosystemOf(facts.Ecosystem) is { } ecosystem ? registries.GetValueOrDefault(ecosystem) : null;
            if (facts.Registry is null)
                outcomes[facts.Key] = Outcome.NotMapped(UnresolvedReason.NoRepositoryInSbom, $"the SBOM names no repository, and Sustain has no registry to ask for {facts.Ecosystem} packages");
            else
                lookups.Add(facts);
        }

        var (answers, requests, hits) = await LookUpAsync(lookups, progress, cancellation);
        foreach (var facts in lookups)
            outcomes[facts.Key] = Interpret(facts, answers[facts.Key]);

        progress?.Report(new ResolutionProgress("Saving", 0, outcomes.Count));
        var (added, changed, removed) = await WriteAsync(organisationId, packages, answers, outcomes, cancellation);
        progress?.Report(new ResolutionProgress("Saving", outcomes.Count, outcomes.Count));

        var report = new ResolutionReport(
            packages.Count,
            outcomes.Values.Count(o => o.Source == MappingSource.Sbom && o.ProjectKey is not null),
            outcomes.Values.Count(o => o.Source == MappingSource.Registry && o.ProjectKey is not null),
            outcomes.Values.Count(o => o.Source == MappingSource.Manual && o.ProjectKey is not null),
            outcomes.Values.Count(o => o.ProjectKey is null),
            requests,
            hits,
            added,
            changed,
            removed,
            watch.Elapsed);
        LogResolved(logger, organisationId, report.Packages, report.Resolved, report.Unresolved, requests, hits, added + changed + removed, watch.ElapsedMilliseconds);
        return report;
    }

    /// <summary>Every package the current uploads use, with what the SBOMs say of its repository.</summary>
    private async Task<Dictionary<string, PackageFacts>> ReadPackagesAsync(Guid organisationId, CancellationToken cancellation)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var uploads = await db.Products.AsNoTracking()
            .Where(p => p.OrganisationId == organisationId && p.CurrentUploadId != null)
            .Select(p => p.CurrentUploadId!.Value)
            .ToListAsync(cancellation);
        var rows = await db.SbomComponents.AsNoTracking()
            .Where(c => uploads.Contains(c.UploadId) && c.PackageKey != null && !c.IsRoot)
            .Select(c => new { c.PackageKey, c.Purl, c.VcsUrl, c.Website })
            .ToListAsync(cancellation);

        var packages = new Dictionary<string, PackageFacts>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var key = row.PackageKey!;
            if (!packages.TryGetValue(key, out var facts))
            {
                if (key.Length > PackageKeyMaxLength || !Purl.TryParse(key, out var identity, out _))
                    continue;
                facts = new PackageFacts(key, identity.Type, RegistryPackage.NameOf(identity));
                packages[key] = facts;
            }

            var purl = Purl.TryParseLenient(row.Purl ?? key, out var parsed, out _, out _) ? parsed : Purl.TryParse(key, out var fromKey, out _) ? fromKey : null;
            // Several uploads may disagree: the smallest key wins, so every run picks the same one.
            if (ProjectKey.TryFromSbom(purl, [row.VcsUrl], [row.Website], out var project, out _)
                && project.Length <= ProjectKeyMaxLength
                && (facts.SbomProject is null || string.CompareOrdinal(project, facts.SbomProject) < 0))
            {
                facts.SbomProject = project;
            }
        }

        return packages;
    }

    private const int PackageKeyMaxLength = 1000;
    private const int ProjectKeyMaxLength = 400;

    /// <summary>Registry answers for the packages to look up: fresh ones from the cache, the rest fetched (and cached).</summary>
    private async Task<(Dictionary<string, CachedAnswer> Answers, int Requests, int Hits)> LookUpAsync(List<PackageFacts> lookups, IProgress<ResolutionProgress>? progress, CancellationToken cancellation)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var cached = new Dictionary<string, PackageMetadataCache>(StringComparer.Ordinal);
        await using (var db = await contexts.CreateDbContextAsync(cancellation))
        {
            foreach (var chunk in lookups.Select(l => l.Key).Chunk(QueryChunk))
            {
                foreach (var row in await db.PackageMetadataCache.AsNoTracking().Where(c => chunk.Contains(c.PackageKey)).ToListAsync(cancellation))
                    cached[row.PackageKey] = row;
            }
        }

        var answers = new Dictionary<string, CachedAnswer>(StringComparer.Ordinal);
        var toFetch = new List<PackageFacts>();
        foreach (var facts in lookups)
        {
            if (cached.TryGetValue(facts.Key, out var entry) && entry.ExpiresAt > now && entry.Registry == facts.Registry)
                answers[facts.Key] = CachedAnswer.From(entry);
            else
                toFetch.Add(facts);
        }

        var hits = answers.Count;
        var done = 0;
        var lastPercent = -1;
        void Report()
        {
            var percent = toFetch.Count == 0 ? 100 : done * 100 / toFetch.Count;
            if (percent != Interlocked.Exchange(ref lastPercent, percent))
                progress?.Report(new ResolutionProgress($"Asking ecosyste.ms about {toFetch.Count:N0} packages", done, toFetch.Count));
        }

        Report();
        // Fetching never waits for the database: answers go to one writer that saves them in batches.
        var fetched = Channel.CreateUnbounded<(PackageFacts Facts, RegistryAnswer Answer)>(new UnboundedChannelOptions { SingleReader = true });
        var writer = SaveAnswersAsync(fetched.Reader, cached, answers, cancellation);
        try
        {
            await Parallel.ForEachAsync(toFetch, new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = cancellation }, async (facts, token) =>
            {
                var answer = await registry.GetPackageAsync(facts.Registry!, facts.Name, token);
                await fetched.Writer.WriteAsync((facts, answer), token);
                Interlocked.Increment(ref done);
                Report();
            });
        }
        finally
        {
            fetched.Writer.Complete();
        }

        await writer;
        return (answers, toFetch.Count, hits);
    }

    /// <summary>Caches fetched answers in batches (a failure is not cached: an expired answer stands in for it) and records what each package's answer is.</summary>
    private async Task SaveAnswersAsync(ChannelReader<(PackageFacts Facts, RegistryAnswer Answer)> fetched, Dictionary<string, PackageMetadataCache> cached, Dictionary<string, CachedAnswer> answers, CancellationToken cancellation)
    {
        await Task.Yield();
        var settings = options.Value;
        var batch = new List<(PackageFacts Facts, RegistryAnswer Answer)>(SaveBatch);
        while (await fetched.WaitToReadAsync(cancellation))
        {
            batch.Clear();
            while (batch.Count < SaveBatch && fetched.TryRead(out var item))
                batch.Add(item);

            var fetchedAt = clock.GetUtcNow();
            await using var db = await contexts.CreateDbContextAsync(cancellation);
            foreach (var (facts, answer) in batch)
            {
                cached.TryGetValue(facts.Key, out var stale);
                if (answer.Kind == RegistryAnswerKind.Failed)
                {
                    answers[facts.Key] = stale is null ? CachedAnswer.Failure(answer.Error!) : CachedAnswer.From(stale);
                    continue;
                }

                var entry = new PackageMetadataCache
                {
                    PackageKey = facts.Key,
                    Registry = facts.Registry!,
                    Status = answer.Kind == RegistryAnswerKind.Found ? PackageMetadataStatus.Found : PackageMetadataStatus.NotFound,
                    Json = answer.Json,
                    FetchedAt = fetchedAt,
                    ExpiresAt = fetchedAt + (answer.Kind == RegistryAnswerKind.Found ? settings.CacheFor : settings.NotFoundCacheFor),
                };
                if (stale is null)
                    db.PackageMetadataCache.Add(entry);
                else
                    db.PackageMetadataCache.Update(entry);
                if (CachedAnswer.TryFrom(entry) is { } parsed)
                {
                    answers[facts.Key] = parsed;
                }
                else
                {
                    db.Entry(entry).State = EntityState.Detached;
                    answers[facts.Key] = stale is null ? CachedAnswer.Failure("ecosyste.ms answered with JSON that does not parse") : CachedAnswer.From(stale);
                }
            }

            await SaveSharedAsync(db, cancellation);
        }
    }

    private static Outcome Interpret(PackageFacts facts, CachedAnswer answer)
    {
        if (answer.Error is { } error)
            return Outcome.NotMapped(UnresolvedReason.RegistryUnavailable, error);
        if (answer.Metadata is not { } metadata)
            return Outcome.NotMapped(UnresolvedReason.RegistryNotFound, $"{facts.Registry} has no package named '{facts.Name}'");

        string? rejected = null;
        foreach (var url in new[] { metadata.RepositoryUrl, metadata.Homepage })
        {
            if (url is null)
                continue;
            if (ProjectKey.TryFromRepositoryUrl(url, out var key, out _) && ProjectKey.IsOnCodeHost(key) && key.Length <= ProjectKeyMaxLength)
                return Outcome.Mapped(key, MappingSource.Registry);
            rejected ??= url;
        }

        return rejected is null
            ? Outcome.NotMapped(UnresolvedReason.RegistryNoRepository, $"{facts.Registry} names no repository for it")
            : Outcome.NotMapped(UnresolvedReason.RegistryNotCodeHost, $"{facts.Registry} gives '{Cap(rejected, 300)}', which is not a repository on a code host");
    }

    /// <summary>Brings the stored packages, projects and the organisation's mappings in line with the outcomes, touching only what differs.</summary>
    private async Task<(int Added, int Changed, int Removed)> WriteAsync(
        Guid organisationId,
        Dictionary<string, PackageFacts> packages,
        Dictionary<string, CachedAnswer> answers,
        Dictionary<string, Outcome> outcomes,
        CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellation);

        var known = new Dictionary<string, Package>(StringComparer.Ordinal);
        foreach (var chunk in packages.Keys.Chunk(QueryChunk))
        {
            foreach (var package in await db.Packages.Where(p => chunk.Contains(p.Key)).ToListAsync(cancellation))
                known[package.Key] = package;
        }

        foreach (var facts in packages.Values)
        {
            if (!known.TryGetValue(facts.Key, out var package))
            {
                package = new Package { Key = facts.Key, Ecosystem = facts.Ecosystem, Name = Cap(facts.Name, PackageKeyMaxLength), FirstSeenAt = now };
                db.Packages.Add(package);
            }

            if (answers.TryGetValue(facts.Key, out var answer) && answer.Metadata is { } metadata)
            {
                package.DependentPackagesCount = metadata.DependentPackagesCount;
                package.DependentReposCount = metadata.DependentReposCount;
                package.FundingLinks = metadata.FundingLinks.Count == 0 ? null : string.Join('\n', metadata.FundingLinks);
            }
        }

        var projectKeys = outcomes.Values.Where(o => o.ProjectKey is not null).Select(o => o.ProjectKey!).Distinct(StringComparer.Ordinal).ToList();
        var knownProjects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in projectKeys.Chunk(QueryChunk))
            knownProjects.UnionWith(await db.Projects.Where(p => chunk.Contains(p.Key)).Select(p => p.Key).ToListAsync(cancellation));
        foreach (var key in projectKeys.Where(k => !knownProjects.Contains(k)))
            db.Projects.Add(NewProject(key, now));

        var (added, changed, removed) = (0, 0, 0);
        var mappings = await db.PackageProjects.Where(m => m.OrganisationId == organisationId).ToDictionaryAsync(m => m.PackageKey, StringComparer.Ordinal, cancellation);
        var unresolved = await db.UnresolvedPackages.Where(u => u.OrganisationId == organisationId).ToDictionaryAsync(u => u.PackageKey, StringComparer.Ordinal, cancellation);
        foreach (var (key, outcome) in outcomes)
        {
            if (outcome.ProjectKey is { } project)
            {
                if (!mappings.Remove(key, out var mapping))
                {
                    db.PackageProjects.Add(new PackageProject { OrganisationId = organisationId, PackageKey = key, ProjectKey = project, Source = outcome.Source, ResolvedAt = now });
                    added++;
                }
                else if (mapping.ProjectKey != project || mapping.Source != outcome.Source)
                {
                    (mapping.ProjectKey, mapping.Source, mapping.ResolvedAt) = (project, outcome.Source, now);
                    changed++;
                }
            }
            else
            {
                var detail = outcome.Detail is null ? null : Cap(outcome.Detail, 1000);
                if (!unresolved.Remove(key, out var entry))
                {
                    db.UnresolvedPackages.Add(new UnresolvedPackage { OrganisationId = organisationId, PackageKey = key, Reason = outcome.Reason, Detail = detail, CheckedAt = now });
                    added++;
                }
                else if (entry.Reason != outcome.Reason || entry.Detail != detail)
                {
                    (entry.Reason, entry.Detail, entry.CheckedAt) = (outcome.Reason, detail, now);
                    changed++;
                }
            }
        }

        // What is left was mapped (or not) before, but is now the other way round or no longer used.
        db.PackageProjects.RemoveRange(mappings.Values);
        db.UnresolvedPackages.RemoveRange(unresolved.Values);
        removed = mappings.Count + unresolved.Count;

        await SaveSharedAsync(db, cancellation);
        return (added, changed, removed);
    }

    /// <summary>
    /// Packages, projects and cached answers are shared by every organisation: one writer at a time
    /// in this process, so two organisations resolving together do not both insert the same row.
    /// </summary>
    private async Task SaveSharedAsync(SustainDbContext db, CancellationToken cancellation)
    {
        using var held = await locks.ForSharedRowsAsync(cancellation);
        await db.SaveChangesAsync(cancellation);
    }

    internal static Project NewProject(string key, DateTimeOffset now)
    {
        var parts = key.Split('/');
        return new Project
        {
            Key = key,
            Host = parts[0],
            Owner = string.Join('/', parts[1..^1]),
            Name = parts[^1],
            RepositoryUrl = "https://" + key,
            FirstSeenAt = now,
        };
    }

    private static string Cap(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Information, Message = "Resolved organisation {OrganisationId}: {Packages} packages, {Resolved} to projects, {Unresolved} unresolved; {Requests} registry requests, {Hits} cache hits; {Changes} changes in {ElapsedMs} ms")]
    private static partial void LogResolved(ILogger logger, Guid organisationId, int packages, int resolved, int unresolved, int requests, int hits, int changes, long elapsedMs);

    private sealed class PackageFacts(string key, string ecosystem, string name)
    {
        public string Key { get; } = key;

        public string Ecosystem { get; } = ecosystem;

        public string Name { get; } = name;

        /// <summary>The registry to ask; set only for packages that neither a manual mapping nor the SBOM resolve.</summary>
        public string? Registry { get; set; }

        public string? SbomProject { get; set; }
    }

    private sealed record CachedAnswer(RegistryMetadata? Metadata, string? Error)
    {
        /// <summary>The answer a cache row holds; a row that no longer parses counts as a registry failure.</summary>
        public static CachedAnswer From(PackageMetadataCache entry) =>
            TryFrom(entry) ?? Failure("the cached ecosyste.ms answer does not parse");

        public static CachedAnswer? TryFrom(PackageMetadataCache entry)
        {
            if (entry.Status != PackageMetadataStatus.Found || entry.Json is null)
                return new CachedAnswer(null, null);
            try
            {
                return new CachedAnswer(RegistryMetadata.Parse(entry.Json), null);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }

        public static CachedAnswer Failure(string error) => new(null, error);
    }

    private sealed record Outcome(string? ProjectKey, MappingSource Source, UnresolvedReason Reason, string? Detail)
    {
        public static Outcome Mapped(string project, MappingSource source) => new(project, source, default, null);

        public static Outcome NotMapped(UnresolvedReason reason, string detail) => new(null, default, reason, detail);
    }
}
