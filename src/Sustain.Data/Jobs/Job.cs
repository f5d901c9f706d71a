namespace Sustain.Data.Jobs;

public enum JobState
{
    /// <summary>Waiting for a worker; runs once <see cref="Job.NextRunAt"/> has passed.</summary>
    Queued = 0,

    /// <summary>A worker holds the lease; another may take it over once the lease has expired.</summary>
    Running = 1,

    Succeeded = 2,

    /// <summary>The last attempt failed; the job runs again at <see cref="Job.NextRunAt"/>.</summary>
    Failed = 3,

    /// <summary>Out of attempts, or cancelled by an operator: runs again only when an operator retries it.</summary>
    Dead = 4,
}

/// <summary>
/// One unit of background work, stored so that it survives restarts and any instance can run it.
/// A job may run more than once (a worker can die after doing the work and before recording it), so
/// every handler must be idempotent.
/// </summary>
public class Job
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Names the handler that runs the job.</summary>
    public required string Kind { get; set; }

    /// <summary>Unique per kind: enqueueing a job whose kind and key exist returns the existing job.</summary>
    public required string IdempotencyKey { get; set; }

    /// <summary>The handler's input, as JSON.</summary>
    public required string Payload { get; set; }

    public JobState State { get; set; }

    /// <summary>Attempts started so far, counting the one running now.</summary>
    public int Attempts { get; set; }

    public int MaxAttempts { get; set; }

    public DateTimeOffset NextRunAt { get; set; }

    /// <summary>The instance running the job; only it may record progress or the outcome.</summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public string? LastError { get; set; }

    public long ProgressDone { get; set; }

    public long ProgressTotal { get; set; }

    public string? ProgressMessage { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the latest attempt started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}
