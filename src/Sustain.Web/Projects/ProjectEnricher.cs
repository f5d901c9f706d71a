using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Core.Funding;
using Sustain.Data;
using Sustain.Data.Projects;
using Sustain.Web.GitHub;

namespace Sustain.Web.Projects;

/// <summary>What an enrichment run did; <see cref="Stopped"/> says why it ended early (GitHub unreachable).</summary>
public sealed record EnrichmentReport(int Projects, int Fetched, int NotOnGitHub, int NotFound, int Failed, string? Stopped)
{
    public string Describe() => Stopped ?? string.Create(CultureInfo.InvariantCulture,
        $"Read the signals of {Projects:N0} {(Projects == 1 ? "project" : "projects")}: {Fetched:N0} from GitHub, {NotOnGitHub:N0} not on GitHub, {NotFound:N0} gone from GitHub, {Failed:N0} failed");
}

/// <summary>A funding channel as stored on <see cref="ProjectSignals.FundingChannelsJson"/>.</summary>
public sealed record StoredFundingChannel(string Platform, string Handle, string? Url, string Sources)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialise(FundingChannels channels) => JsonSerializer.Serialize(
        channels.All.Select(c => new StoredFundingChannel(c.Channel.Platform.ToString(), c.Channel.Handle, c.Channel.Url?.ToString(), c.Sources.ToString())).ToList(),
        Json);

    public static IReadOnlyList<StoredFundingChannel> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return [];
        try
        {
            return JsonSerializer.Deserialize<List<StoredFundingChannel>>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <summary>
/// Reads the signals of projects whose signals are missing or expired: GitHub projects through
/// <see cref="RepositorySignalsReader"/>, the rest marked as not on GitHub; dependents come from the
/// ecosyste.ms answers already cached. Idempotent: fresh signals are skipped, and a row is replaced whole.
/// </summary>
public sealed partial class ProjectEnricher(
    IDbContextFactory<SustainDbContext> contexts,
    RepositorySignalsReader reader,
    ResolutionLocks locks,
    IOptions<ProjectsOptions> options,
    IOptions<GitHubCallOptions> callOptions,
    TimeProvider clock,
    ILogger<ProjectEnricher> logger)
{
    private const int QueryChunk = 500;

    /// <summary>Enriches the stale projects of one organisation, or every stale project when <paramref name="organisationId"/> is null.</summary>
    internal async Task<EnrichmentReport> EnrichAsync(Guid? organisationId, ProgressTicker? progress, CancellationToken cancellation)
    {
        var settings = options.Value;
        if (!settings.EnrichmentEnabled)
            return new EnrichmentReport(0, 0, 0, 0, 0, "Reading project signals is switched off (Projects:EnrichmentEnabled is false).");

        var stale = await StaleProjectsAsync(organisationId, cancellation);
        var facts = await RegistryFactsAsync(stale.Select(p => p.Key).ToList(), cancellation);
        var total = stale.Count;
        var (done, fetched, notOnGitHub, notFound, failed) = (0, 0, 0, 0, 0);
        string Message(string? waiting = null) =>
            string.Create(CultureInfo.InvariantCulture, $"Reading the signals of {total:N0} {(total == 1 ? "project" : "projects")}") + (waiting is null ? "" : $" — {waiting}");
        progress?.Set(0, total, Message());

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        string? stopped = null;
        try
        {
            await Parallel.ForEachAsync(stale, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, callOptions.Value.MaxConcurrency), CancellationToken = stop.Token }, async (project, token) =>
            {
                facts.TryGetValue(project.Key, out var registry);
                SignalsStatus status;
                if (project.Host != "github.com" || project.Owner.Contains('/', StringComparison.Ordinal))
                {
                    status = await SaveNotOnGitHubAsync(project.Key, registry, token);
                }
                else
                {
                    try
                    {
                        var signals = await reader.ReadAsync(project.Owner, project.Name, w =>
                        {
                            progress?.Set(Volatile.Read(ref done), total, Message(w));
                            return Task.CompletedTask;
                        }, token);
                        status = await SaveAsync(project.Key, signals, registry, token);
                    }
                    catch (GitHubUnreachableException e)
                    {
                        stopped ??= $"GitHub could not be reached, so project signals were not read ({e.InnerException?.Message ?? e.Message}). The next run tries again.";
                        await stop.CancelAsync();
                        return;
                    }
                    catch (Octokit.ApiException e)
                    {
                        status = await SaveFailureAsync(project.Key, $"GitHub answered {(int)e.StatusCode}: {e.Message}", token);
                    }
                }

                switch (status)
                {
                    case SignalsStatus.Fetched: Interlocked.Increment(ref fetched); break;
                    case SignalsStatus.NotOnGitHub: Interlocked.Increment(ref notOnGitHub); break;
                    case SignalsStatus.RepositoryNotFound: Interlocked.Increment(ref notFound); break;
                    default: Interlocked.Increment(ref failed); break;
                }

                progress?.Set(Interlocked.Increment(ref done), total, Message());
            });
        }
        catch (OperationCanceledException) when (stopped is not null && !cancellation.IsCancellationRequested)
        {
        }

        var report = new EnrichmentReport(total, fetched, notOnGitHub, notFound, failed, stopped);
        if (stopped is not null)
            LogStopped(logger, stopped);
        progress?.Set(done, total, report.Describe());
        return report;
    }

    private async Task<List<Project>> StaleProjectsAsync(Guid? organisationId, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var projects = db.Projects.AsNoTracking();
        if (organisationId is { } id)
            projects = projects.Where(p => db.PackageProjects.Any(m => m.OrganisationId == id && m.ProjectKey == p.Key));
        return await projects
            .Where(p => !db.ProjectSignals.Any(s => s.ProjectKey == p.Key && s.ExpiresAt > now))
            .OrderBy(p => p.Key)
            .ToListAsync(cancellation);
    }

    /// <summary>Per project, what the cached ecosyste.ms answers say across its packages: the most dependents, and the funding links.</summary>
    private async Task<Dictionary<string, RegistryFacts>> RegistryFactsAsync(List<string> projectKeys, CancellationToken cancellation)
    {
        var facts = new Dictionary<string, RegistryFacts>(StringComparer.Ordinal);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        foreach (var chunk in projectKeys.Chunk(QueryChunk))
        {
            var rows = await db.PackageProjects.AsNoTracking()
                .Where(m => chunk.Contains(m.ProjectKey))
                .Join(db.Packages, m => m.PackageKey, p => p.Key, (m, p) => new { m.ProjectKey, p.Key, p.DependentPackagesCount, p.DependentReposCount, p.FundingLinks })
                .Distinct()
                .ToListAsync(cancellation);
            foreach (var group in rows.GroupBy(r => r.ProjectKey, StringComparer.Ordinal))
            {
                var dependents = group.Where(r => r.DependentPackagesCount is not null || r.DependentReposCount is not null)
                    .Select(r => (long?)((long)(r.DependentPackagesCount ?? 0) + (r.DependentReposCount ?? 0)))
                    .Max();
                var links = group.SelectMany(r => (r.FundingLinks ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                facts[group.Key] = new RegistryFacts(dependents, links);
            }
        }

        return facts;
    }

    private Task<SignalsStatus> SaveNotOnGitHubAsync(string key, RegistryFacts? registry, CancellationToken cancellation) =>
        WriteAsync(key, SignalsStatus.NotOnGitHub, (row, now) =>
        {
            Clear(row);
            row.Dependents = registry?.Dependents;
            row.ExpiresAt = now + options.Value.SignalsCacheFor;
        }, cancellation);

    private Task<SignalsStatus> SaveAsync(string key, RepositorySignals? signals, RegistryFacts? registry, CancellationToken cancellation)
    {
        if (signals is null)
        {
            return WriteAsync(key, SignalsStatus.RepositoryNotFound, (row, now) =>
            {
                Clear(row);
                row.Dependents = registry?.Dependents;
                row.Error = "GitHub has no such repository (or it is private).";
                row.ExpiresAt = now + options.Value.SignalsCacheFor;
            }, cancellation);
        }

        return WriteAsync(key, SignalsStatus.Fetched, (row, now) =>
        {
            row.Stars = signals.Stars;
            row.Archived = signals.Archived;
            row.LastPushAt = signals.LastPushAt;
            row.OwnerKind = signals.OwnerKind;
            row.LicenseSpdxId = Cap(signals.LicenseSpdxId, 100);
            row.DefaultBranch = Cap(signals.DefaultBranch, 255);
            row.Maintainers = signals.Maintainers.Count;
            row.MaintainerLogins = Cap(string.Join(",", signals.Maintainers.Take(20)), 1000);
            row.LatestReleaseAt = signals.LatestReleaseAt;
            row.Dependents = registry?.Dependents;
            row.FundingChannelsJson = StoredFundingChannel.Serialise(signals.Funding);
            row.FundingWarning = Cap(signals.FundingWarning, 1000);
            row.Error = null;
            row.ExpiresAt = now + options.Value.SignalsCacheFor;
        }, cancellation);
    }

    /// <summary>Records a failed read; values read before stay, and it is tried again sooner than a success.</summary>
    private Task<SignalsStatus> SaveFailureAsync(string key, string error, CancellationToken cancellation) =>
        WriteAsync(key, SignalsStatus.Failed, (row, now) =>
        {
            row.Error = Cap(error, 1000);
            row.ExpiresAt = now + options.Value.FailedSignalsRetryAfter;
        }, cancellation, keepStatusOf: SignalsStatus.Demo);

    private async Task<SignalsStatus> WriteAsync(string key, SignalsStatus status, Action<ProjectSignals, DateTimeOffset> apply, CancellationToken cancellation, SignalsStatus? keepStatusOf = null)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        using var held = await locks.ForSharedRowsAsync(cancellation);
        var row = await db.ProjectSignals.FindAsync([key], cancellation);
        if (row is null)
        {
            row = new ProjectSignals { ProjectKey = key };
            db.ProjectSignals.Add(row);
        }

        if (row.Status != keepStatusOf)
            row.Status = status;
        row.FetchedAt = now;
        apply(row, now);
        await db.SaveChangesAsync(cancellation);
        return status;
    }

    private static void Clear(ProjectSignals row)
    {
        row.Stars = null;
        row.Archived = null;
        row.LastPushAt = null;
        row.OwnerKind = OwnerKind.Unknown;
        row.LicenseSpdxId = null;
        row.DefaultBranch = null;
        row.Maintainers = null;
        row.MaintainerLogins = null;
        row.LatestReleaseAt = null;
        row.FundingChannelsJson = null;
        row.FundingWarning = null;
        row.Error = null;
    }

    private static string? Cap(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project signals: {Reason}")]
    private static partial void LogStopped(ILogger logger, string reason);

    private sealed record RegistryFacts(long? Dependents, IReadOnlyList<string> FundingLinks);
}
