namespace Sustain.Web.Jobs;

public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Run the worker in this instance. Enqueueing works either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Jobs this instance runs at once.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>How often an idle worker looks for due jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claim holds without renewal; a worker renews it every third of this while the job runs.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>On shutdown, how long running jobs may take to finish before their leases are released for another instance.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>For kinds registered without their own.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The delay before the first retry; each further retry doubles it, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Progress reports closer together than this are held back, so a chatty handler does not hammer the database.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>This process's name in lease columns: machine, process and a random suffix, so two runners never share one.</summary>
public sealed record JobInstance(string Id)
{
    public static JobInstance Create() => new($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");
}
