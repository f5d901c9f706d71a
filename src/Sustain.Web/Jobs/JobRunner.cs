using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Data;
using Sustain.Data.Jobs;

namespace Sustain.Web.Jobs;

/// <summary>
/// Claims due jobs, runs them and records how they ended. Every write that changes who owns a job is
/// one conditional UPDATE whose WHERE clause restates the condition it relies on, and whose affected
/// row count says whether this instance won (see docs/adr/ADR-004-job-runner.md). Several runners,
/// in one process or many, can share a database.
/// </summary>
public sealed class JobRunner(
    IDbContextFactory<SustainDbContext> databases,
    IServiceScopeFactory scopes,
    JobKinds kinds,
    JobQueue queue,
    IOptions<JobOptions> options,
    TimeProvider time,
    JobInstance instance,
    ILogger<JobRunner> logger)
{
    private const int MaxErrorLength = 4000;
    private const int OutcomeWriteAttempts = 5;
    private const string AbandonedError = "The worker running the last attempt stopped before finishing (its lease expired).";

    private readonly Dictionary<string, DateTimeOffset> _scheduled = [];
    private readonly Lock _scheduledLock = new();

    public string InstanceId => instance.Id;

    /// <summary>The delay before the retry that follows <paramref name="attempt"/>: exponential, capped, with half of it jittered.</summary>
    /// <param name="jitter">A random number in [0, 1).</param>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        var exponential = Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Clamp(attempt - 1, 0, 40)));
        return TimeSpan.FromTicks((long)((exponential / 2) + (exponential / 2 * jitter)));
    }

    /// <summary>
    /// Enqueues each recurring job's next occurrence, once per occurrence across every instance: the
    /// idempotency key names the occurrence, so an instance that comes second gets the existing job.
    /// </summary>
    public async Task ScheduleRecurringAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        foreach (var recurring in kinds.Recurring)
        {
            var occurrence = recurring.Schedule.NextAfter(now);
            lock (_scheduledLock)
            {
                if (_scheduled.TryGetValue(recurring.Name, out var scheduled) && scheduled == occurrence)
                    continue;
            }

            await queue.EnqueueAsync(recurring.Name, new RecurringOccurrence(recurring.Name, occurrence), recurring.KeyFor(occurrence), occurrence, cancellationToken);
            lock (_scheduledLock)
                _scheduled[recurring.Name] = occurrence;
        }
    }

    /// <summary>Takes up to <paramref name="max"/> due jobs of the kinds this instance knows; no other runner gets them while the lease holds.</summary>
    public async Task<IReadOnlyList<Job>> ClaimAsync(int max, CancellationToken cancellationToken = default)
    {
        if (max <= 0 || kinds.Names.Count == 0)
            return [];
        var now = time.GetUtcNow();
        var lease = now + options.Value.LeaseDuration;
        var names = kinds.Names.ToList();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);

        await db.Jobs
            .Where(j => j.State == JobState.Running && j.LeaseExpiresAt < now && j.Attempts >= j.MaxAttempts)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.State, JobState.Dead)
                    .SetProperty(j => j.LastError, AbandonedError)
                    .SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.LeaseOwner, (string?)null)
                    .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null),
                cancellationToken);

        var candidates = await db.Jobs
            .Where(Claimable(now))
            .Where(j => names.Contains(j.Kind))
            .OrderBy(j => j.NextRunAt)
            .Select(j => j.Id)
            .Take(max * 4)
            .ToArrayAsync(cancellationToken);

        // Runners that look at the same moment see the same oldest jobs; trying them in a different order means fewer lost races.
        Random.Shared.Shuffle(candidates);
        var claimed = new List<Job>(max);
        foreach (var id in candidates)
        {
            // Once a claim is won the job must reach the caller, or it would sit Running until its lease
            // expires: stop trying more candidates when asked, but never cancel a claim half way.
            if (cancellationToken.IsCancellationRequested)
                break;
            var won = await db.Jobs
                .Where(j => j.Id == id)
                .Where(Claimable(now))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(j => j.State, JobState.Running)
                        .SetProperty(j => j.LeaseOwner, instance.Id)
                        .SetProperty(j => j.LeaseExpiresAt, lease)
                        .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                        .SetProperty(j => j.StartedAt, now)
                        .SetProperty(j => j.FinishedAt, (DateTimeOffset?)null),
                    CancellationToken.None);
            if (won == 1)
                claimed.Add(await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, CancellationToken.None));
            if (claimed.Count == max)
                break;
        }

        return claimed;
    }

    /// <summary>
    /// Runs a claimed job to its end and records the outcome; never throws. <paramref name="abort"/>
    /// (the worker's shutdown grace period running out) cancels the handler and hands the job back to the queue.
    /// </summary>
    public async Task RunAsync(Job job, CancellationToken abort)
    {
        var attempt = job.Attempts;
        using var run = CancellationTokenSource.CreateLinkedTokenSource(abort);
        using var renewing = new CancellationTokenSource();
        var renewal = RenewLeaseAsync(job.Id, attempt, run, renewing.Token);
        var context = new JobContext(job.Id, attempt, report => WriteProgressAsync(job.Id, attempt, report, run), time, options.Value.ProgressInterval, run.Token);
        Exception? failure = null;
        var interrupted = false;
        try
        {
            var kind = kinds.Find(job.Kind) ?? throw new InvalidOperationException($"No handler is registered for the job kind \"{job.Kind}\".");
            await using var scope = scopes.CreateAsyncScope();
            await kind.Run(scope.ServiceProvider, job.Payload, context);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            interrupted = true;
        }
        catch (Exception e)
        {
            failure = e;
        }

        await renewing.CancelAsync();
        await renewal;
        if (interrupted && !abort.IsCancellationRequested)
        {
            logger.LeaseLostDuringRun(job.Id, job.Kind);
            return;
        }

        await RecordOutcomeAsync(job, () =>
            interrupted ? ReleaseAsync(job, attempt)
            : failure is null ? SucceedAsync(job, attempt, context.Latest)
            : FailAsync(job, attempt, failure));
    }

    /// <summary>
    /// Writes how a run ended, trying again over a few seconds if the database refuses (busy, or a
    /// connection dropped): a run whose outcome is lost is run again once its lease expires.
    /// </summary>
    private async Task RecordOutcomeAsync(Job job, Func<Task> record)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await record();
                return;
            }
            catch (Exception e) when (attempt < OutcomeWriteAttempts)
            {
                logger.OutcomeWriteRetrying(e, job.Id, job.Kind, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), time);
            }
            catch (Exception e)
            {
                // The lease expires and another worker (or this one) runs the job again.
                logger.OutcomeNotRecorded(e, job.Id, job.Kind);
                return;
            }
        }
    }

    private static Expression<Func<Job, bool>> Claimable(DateTimeOffset now) =>
        j => ((j.State == JobState.Queued || j.State == JobState.Failed) && j.NextRunAt <= now)
            || (j.State == JobState.Running && j.LeaseExpiresAt < now && j.Attempts < j.MaxAttempts);

    /// <summary>The job, while this instance still holds the lease for this attempt.</summary>
    private IQueryable<Job> Owned(SustainDbContext db, Guid id, int attempt) =>
        db.Jobs.Where(j => j.Id == id && j.State == JobState.Running && j.LeaseOwner == instance.Id && j.Attempts == attempt);

    private async Task SucceedAsync(Job job, int attempt, JobProgressReport? progress)
    {
        var now = time.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync();
        var recorded = await Owned(db, job.Id, attempt).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(j => j.State, JobState.Succeeded)
                .SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null);
            if (progress is not null)
            {
                s.SetProperty(j => j.ProgressDone, progress.Done)
                    .SetProperty(j => j.ProgressTotal, progress.Total)
                    .SetProperty(j => j.ProgressMessage, Truncate(progress.Message, 500));
            }
        });
        if (recorded == 0)
            logger.FinishedWithoutLease(job.Id, job.Kind);
    }

    private async Task FailAsync(Job job, int attempt, Exception failure)
    {
        var now = time.GetUtcNow();
        var dead = attempt >= job.MaxAttempts;
        var retryAt = dead ? job.NextRunAt : now + Backoff(attempt, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay, Random.Shared.NextDouble());
        var error = Truncate($"{failure.GetType().Name}: {failure.Message}", MaxErrorLength);
        await using var db = await databases.CreateDbContextAsync();
        await Owned(db, job.Id, attempt).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, dead ? JobState.Dead : JobState.Failed)
            .SetProperty(j => j.NextRunAt, retryAt)
            .SetProperty(j => j.LastError, error)
            .SetProperty(j => j.FinishedAt, dead ? now : null)
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null));
        if (dead)
            logger.JobDead(failure, job.Id, job.Kind, attempt, job.MaxAttempts);
        else
            logger.JobRetrying(failure, job.Id, job.Kind, attempt, job.MaxAttempts, retryAt);
    }

    /// <summary>Hands an interrupted job back to the queue at once; the attempt does not count, since the job did not fail.</summary>
    private async Task ReleaseAsync(Job job, int attempt)
    {
        var now = time.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync();
        await Owned(db, job.Id, attempt).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, JobState.Queued)
            .SetProperty(j => j.Attempts, attempt - 1)
            .SetProperty(j => j.NextRunAt, now)
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null));
        logger.JobReleased(job.Id, job.Kind);
    }

    private async Task<bool> WriteProgressAsync(Guid id, int attempt, JobProgressReport report, CancellationTokenSource run)
    {
        await using var db = await databases.CreateDbContextAsync();
        var written = await Owned(db, id, attempt).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.ProgressDone, report.Done)
            .SetProperty(j => j.ProgressTotal, report.Total)
            .SetProperty(j => j.ProgressMessage, Truncate(report.Message, 500)));
        if (written == 0)
            await run.CancelAsync();
        return written == 1;
    }

    private async Task RenewLeaseAsync(Guid id, int attempt, CancellationTokenSource run, CancellationToken stop)
    {
        var every = options.Value.LeaseDuration / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, stop);
                var expires = time.GetUtcNow() + options.Value.LeaseDuration;
                await using var db = await databases.CreateDbContextAsync(stop);
                if (await Owned(db, id, attempt).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, expires), stop) == 0)
                {
                    logger.LeaseLost(id);
                    await run.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LeaseNotRenewed(e, id);
            }
        }
    }

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..(length - 1)] + "…";
}
