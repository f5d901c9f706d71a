using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Jobs;

namespace Sustain.Web.Jobs;

/// <summary>What a page shows of a job: everything but its payload.</summary>
public sealed record JobSnapshot(
    Guid Id,
    string Kind,
    string IdempotencyKey,
    JobState State,
    int Attempts,
    int MaxAttempts,
    long ProgressDone,
    long ProgressTotal,
    string? ProgressMessage,
    string? LastError,
    string? LeaseOwner,
    DateTimeOffset NextRunAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public static readonly Expression<Func<Job, JobSnapshot>> Projection = j => new JobSnapshot(
        j.Id, j.Kind, j.IdempotencyKey, j.State, j.Attempts, j.MaxAttempts, j.ProgressDone, j.ProgressTotal, j.ProgressMessage, j.LastError, j.LeaseOwner, j.NextRunAt, j.CreatedAt, j.StartedAt, j.FinishedAt);

    public bool IsFinished => State is JobState.Succeeded or JobState.Dead;

    /// <summary>0 to 100 when the handler has reported a total; 100 once succeeded.</summary>
    public int? Percent => State == JobState.Succeeded ? 100
        : ProgressTotal > 0 ? (int)Math.Clamp(ProgressDone * 100 / ProgressTotal, 0, 100)
        : null;

    /// <summary>"Resolving 1,234 packages — 60%": the handler's message and the share done, or what the job is waiting for.</summary>
    /// <param name="withError">Whether a dead job's description ends with its last error (not where the error shows beside it).</param>
    public string Describe(DateTimeOffset now, bool withError = true)
    {
        var percent = Percent is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p}%") : null;
        return State switch
        {
            JobState.Queued when NextRunAt > now => $"Scheduled for {NextRunAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
            JobState.Queued => "Waiting for a worker",
            JobState.Failed => $"Attempt {Attempts} failed; retrying at {NextRunAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC",
            JobState.Dead when withError => "Stopped: " + (LastError ?? "no error recorded"),
            JobState.Dead => string.Create(CultureInfo.InvariantCulture, $"Stopped after {Attempts} of {MaxAttempts} attempts"),
            _ => Join(ProgressMessage ?? (State == JobState.Succeeded ? "Done" : "Running"), percent),
        };
    }

    private static string Join(string message, string? percent) => percent is null ? message : $"{message} — {percent}";
}

/// <summary>Lets a page follow a job: polls the job's row and reports each change until the job finishes.</summary>
public sealed class JobProgress(IDbContextFactory<SustainDbContext> databases)
{
    public async Task<JobSnapshot?> GetAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(JobSnapshot.Projection).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The job now, then again whenever it changes (checked every <paramref name="interval"/>, a second by default); ends when it succeeds, dies or does not exist.</summary>
    public async IAsyncEnumerable<JobSnapshot> WatchAsync(Guid jobId, TimeSpan? interval = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var timer = new PeriodicTimer(interval ?? TimeSpan.FromSeconds(1));
        JobSnapshot? last = null;
        do
        {
            var current = await GetAsync(jobId, cancellationToken);
            if (current is null)
                yield break;
            if (current != last)
                yield return current;
            if (current.IsFinished)
                yield break;
            last = current;
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }
}
