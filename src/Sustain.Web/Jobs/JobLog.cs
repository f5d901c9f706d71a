namespace Sustain.Web.Jobs;

internal static partial class JobLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) stopped: its lease passed to another worker.")]
    public static partial void LeaseLostDuringRun(this ILogger logger, Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the outcome of job {JobId} ({Kind}) on try {Try}; trying again.")]
    public static partial void OutcomeWriteRetrying(this ILogger logger, Exception exception, Guid jobId, string kind, int @try);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the outcome of job {JobId} ({Kind}).")]
    public static partial void OutcomeNotRecorded(this ILogger logger, Exception exception, Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) finished after its lease passed to another worker; that worker records the outcome.")]
    public static partial void FinishedWithoutLease(this ILogger logger, Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Kind}) failed on its last attempt ({Attempt} of {MaxAttempts}) and is dead.")]
    public static partial void JobDead(this ILogger logger, Exception exception, Guid jobId, string kind, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) failed on attempt {Attempt} of {MaxAttempts}; retrying at {RetryAt}.")]
    public static partial void JobRetrying(this ILogger logger, Exception exception, Guid jobId, string kind, int attempt, int maxAttempts, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) was interrupted by shutdown and is queued again.")]
    public static partial void JobReleased(this ILogger logger, Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease of job {JobId}; cancelling this run.")]
    public static partial void LeaseLost(this ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease of job {JobId}; trying again.")]
    public static partial void LeaseNotRenewed(this ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The job worker is disabled (Jobs:Enabled is false); this instance only enqueues.")]
    public static partial void WorkerDisabled(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job worker {Instance} runs up to {Concurrency} jobs at once.")]
    public static partial void WorkerStarted(this ILogger logger, string instance, int concurrency);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for due jobs failed; trying again in {PollInterval}.")]
    public static partial void PollFailed(this ILogger logger, Exception exception, TimeSpan pollInterval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting up to {Grace} for {Count} running jobs to finish.")]
    public static partial void Draining(this ILogger logger, TimeSpan grace, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running jobs did not finish within {Grace}; cancelling them and releasing their leases.")]
    public static partial void DrainTimedOut(this ILogger logger, TimeSpan grace);
}
