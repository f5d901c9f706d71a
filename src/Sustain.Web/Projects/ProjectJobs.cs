using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Data;
using Sustain.Web.Jobs;

namespace Sustain.Web.Projects;

/// <summary>The payload of <see cref="ProjectJobs.Resolve"/>.</summary>
public sealed record ResolveProjects(Guid OrganisationId);

/// <summary>The payload of <see cref="ProjectJobs.Enrich"/>: one organisation's projects.</summary>
public sealed record EnrichProjects(Guid OrganisationId);

/// <summary>The project jobs' names and idempotency keys, and how pages find an organisation's latest run.</summary>
public sealed class ProjectJobs(JobQueue queue, IDbContextFactory<SustainDbContext> contexts)
{
    public const string Resolve = "resolve-projects";
    public const string Enrich = "enrich-projects";
    public const string Sweep = "enrich-projects-sweep";

    /// <summary>Resolution after an upload: one job per upload, however often the upload is retried.</summary>
    public Task<Data.Jobs.Job> ResolveAfterUploadAsync(Guid organisationId, Guid uploadId, CancellationToken cancellation = default) =>
        queue.EnqueueAsync(Resolve, new ResolveProjects(organisationId), $"{organisationId:N}:upload:{uploadId:N}", cancellationToken: cancellation);

    /// <summary>"Resolve now": the organisation's unfinished resolution when there is one, else a new one.</summary>
    public async Task<Guid> ResolveNowAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        if (await LatestAsync(Resolve, organisationId, cancellation) is { IsFinished: false } running)
            return running.Id;
        var job = await queue.EnqueueAsync(Resolve, new ResolveProjects(organisationId), $"{organisationId:N}:manual:{Guid.NewGuid():N}", cancellationToken: cancellation);
        return job.Id;
    }

    /// <summary>
    /// Enrichment after a resolution job: keyed by that job, so a rerun of it enqueues nothing new; and
    /// none when one is still waiting to start, since that one will read the mappings as they are now.
    /// </summary>
    public async Task<Guid> EnrichAfterAsync(Guid organisationId, Guid resolveJobId, CancellationToken cancellation = default)
    {
        if (await LatestAsync(Enrich, organisationId, cancellation) is { State: Data.Jobs.JobState.Queued } waiting)
            return waiting.Id;
        var job = await queue.EnqueueAsync(Enrich, new EnrichProjects(organisationId), $"{organisationId:N}:after:{resolveJobId:N}", cancellationToken: cancellation);
        return job.Id;
    }

    /// <summary>The organisation's most recent job of <paramref name="kind"/>; null when it never had one.</summary>
    public async Task<JobSnapshot?> LatestAsync(string kind, Guid organisationId, CancellationToken cancellation = default)
    {
        var prefix = organisationId.ToString("N", CultureInfo.InvariantCulture) + ":";
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        return await db.Jobs.AsNoTracking()
            .Where(j => j.Kind == kind && j.IdempotencyKey.StartsWith(prefix))
            .OrderByDescending(j => j.CreatedAt)
            .Select(JobSnapshot.Projection)
            .FirstOrDefaultAsync(cancellation);
    }
}

/// <summary>Resolves an organisation's packages to projects, then asks for their signals to be read.</summary>
public sealed class ResolveProjectsJob(ProjectResolver resolver, ProjectJobs jobs, IOptions<JobOptions> options) : IJobHandler<ResolveProjects>
{
    public async Task RunAsync(ResolveProjects payload, JobContext context)
    {
        ResolutionReport report;
        await using (var progress = new ProgressTicker(context, options.Value.ProgressInterval))
        {
            report = await resolver.ResolveOrganisationAsync(payload.OrganisationId, new Reporter(progress), context.Cancellation);
            progress.Set(report.Packages, report.Packages, Describe(report));
        }

        await jobs.EnrichAfterAsync(payload.OrganisationId, context.JobId, context.Cancellation);
    }

    private static string Describe(ResolutionReport report) => string.Create(CultureInfo.InvariantCulture,
        $"Resolved {report.Resolved:N0} of {report.Packages:N0} packages in {report.Elapsed.TotalSeconds:N1} s ({report.RegistryRequests:N0} registry {(report.RegistryRequests == 1 ? "request" : "requests")}, {report.CacheHits:N0} cached). ")
        + (report.ChangedAnything ? string.Create(CultureInfo.InvariantCulture, $"{report.Added:N0} added, {report.Changed:N0} changed, {report.Removed:N0} removed.") : "Nothing changed.");

    /// <summary>Turns the resolver's stages into "Resolving 1,234 packages" and the share done.</summary>
    private sealed class Reporter(ProgressTicker ticker) : IProgress<ResolutionProgress>
    {
        public void Report(ResolutionProgress value)
        {
            var message = value.Stage.StartsWith("Asking", StringComparison.Ordinal)
                ? string.Create(CultureInfo.InvariantCulture, $"Resolving {value.Total:N0} {(value.Total == 1 ? "package" : "packages")}")
                : value.Stage;
            ticker.Set(value.Done, value.Total, message);
        }
    }
}

/// <summary>Reads the GitHub signals of an organisation's projects that have none or whose signals expired.</summary>
public sealed class EnrichProjectsJob(ProjectEnricher enricher, IOptions<JobOptions> options) : IJobHandler<EnrichProjects>
{
    public async Task RunAsync(EnrichProjects payload, JobContext context)
    {
        await using var progress = new ProgressTicker(context, options.Value.ProgressInterval);
        await enricher.EnrichAsync(payload.OrganisationId, progress, context.Cancellation);
    }
}

/// <summary>The daily sweep: every project whose signals expired, whichever organisation uses it. Once per day across instances.</summary>
public sealed class EnrichSweepJob(ProjectEnricher enricher, IOptions<JobOptions> options) : IJobHandler<RecurringOccurrence>
{
    public async Task RunAsync(RecurringOccurrence payload, JobContext context)
    {
        await using var progress = new ProgressTicker(context, options.Value.ProgressInterval);
        await enricher.EnrichAsync(null, progress, context.Cancellation);
    }
}
