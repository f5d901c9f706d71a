using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Data;
using Sustain.Data.Jobs;

namespace Sustain.Web.Jobs;

/// <summary>Puts work on the queue, and the operator's retry and cancel.</summary>
public sealed class JobQueue(IDbContextFactory<SustainDbContext> databases, JobKinds kinds, IOptions<JobOptions> options, TimeProvider time)
{
    /// <summary>
    /// Stores a job for any instance to run. Enqueueing a kind and key that exist already returns the
    /// existing job, whatever its state, so a caller can retry an enqueue safely.
    /// </summary>
    /// <param name="idempotencyKey">Unique per kind; a fresh one when null.</param>
    /// <param name="runAt">Not before this instant; now when null.</param>
    public async Task<Job> EnqueueAsync<TPayload>(string kind, TPayload payload, string? idempotencyKey = null, DateTimeOffset? runAt = null, CancellationToken cancellationToken = default)
    {
        var registered = kinds.Get(kind);
        if (!registered.PayloadType.IsAssignableFrom(typeof(TPayload)))
            throw new ArgumentException($"The job kind \"{kind}\" takes a {registered.PayloadType.Name}, not a {typeof(TPayload).Name}.", nameof(payload));

        var now = time.GetUtcNow();
        var job = new Job
        {
            Kind = kind,
            IdempotencyKey = idempotencyKey ?? Guid.NewGuid().ToString("N"),
            Payload = JsonSerializer.Serialize(payload, JobKinds.Json),
            State = JobState.Queued,
            MaxAttempts = registered.MaxAttempts ?? options.Value.MaxAttempts,
            NextRunAt = runAt ?? now,
            CreatedAt = now,
        };

        if (idempotencyKey is not null && await FindAsync(kind, idempotencyKey, cancellationToken) is { } existing)
            return existing;
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.Jobs.Add(job);
            await db.SaveChangesAsync(cancellationToken);
            return job;
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // Another instance enqueued the same key between our look and our insert; the unique index kept one.
            return await FindAsync(kind, idempotencyKey, cancellationToken) ?? throw new InvalidOperationException($"Could not store the job {kind}:{idempotencyKey}.");
        }
    }

    /// <summary>Queues a dead job again with a fresh set of attempts. False when the job is not dead.</summary>
    public async Task<bool> RetryAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Jobs
            .Where(j => j.Id == jobId && j.State == JobState.Dead)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.State, JobState.Queued)
                    .SetProperty(j => j.Attempts, 0)
                    .SetProperty(j => j.NextRunAt, now)
                    .SetProperty(j => j.FinishedAt, (DateTimeOffset?)null),
                cancellationToken) == 1;
    }

    /// <summary>Stops a job that is waiting to run (first time or retry) from running. False when it is not waiting.</summary>
    public async Task<bool> CancelAsync(Guid jobId, string cancelledBy, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var error = $"Cancelled by {cancelledBy}.";
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Jobs
            .Where(j => j.Id == jobId && (j.State == JobState.Queued || j.State == JobState.Failed))
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.State, JobState.Dead)
                    .SetProperty(j => j.LastError, error)
                    .SetProperty(j => j.FinishedAt, now),
                cancellationToken) == 1;
    }

    private async Task<Job?> FindAsync(string kind, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Kind == kind && j.IdempotencyKey == idempotencyKey, cancellationToken);
    }
}
