namespace Sustain.Web.Jobs;

/// <summary>
/// Runs one kind of job. A job can run more than once: a worker may stop after the work is done and
/// before the success is recorded, and its lease then passes to another worker. So a handler must be
/// idempotent: check what is already done, write with upserts or unique keys, and send nothing twice
/// that the receiver cannot deduplicate.
/// </summary>
public interface IJobHandler<in TPayload>
{
    Task RunAsync(TPayload payload, JobContext context);
}

/// <summary>What a handler knows about the run it is in.</summary>
public sealed class JobContext
{
    private readonly Func<JobProgressReport, Task<bool>> _write;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private DateTimeOffset _lastWritten = DateTimeOffset.MinValue;

    internal JobContext(Guid jobId, int attempt, Func<JobProgressReport, Task<bool>> write, TimeProvider time, TimeSpan interval, CancellationToken cancellation)
    {
        JobId = jobId;
        Attempt = attempt;
        Cancellation = cancellation;
        _write = write;
        _time = time;
        _interval = interval;
    }

    public Guid JobId { get; }

    /// <summary>1 on the first run, 2 on the first retry, ...</summary>
    public int Attempt { get; }

    /// <summary>Cancelled when the instance shuts down past its grace period, or when the lease has passed to another worker.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>The latest report, written or not: the runner records it with the outcome.</summary>
    internal JobProgressReport? Latest { get; private set; }

    /// <summary>Records progress for the dashboard and progress bars; written at most once per <see cref="JobOptions.ProgressInterval"/>.</summary>
    public async Task ReportProgressAsync(long done, long total, string? message = null)
    {
        Latest = new JobProgressReport(done, total, message);
        var now = _time.GetUtcNow();
        if (now - _lastWritten < _interval)
            return;
        _lastWritten = now;
        await _write(Latest);
    }
}

public sealed record JobProgressReport(long Done, long Total, string? Message);

/// <summary>The payload of a recurring job: which occurrence this run is for.</summary>
public sealed record RecurringOccurrence(string Name, DateTimeOffset At);
