using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sustain.Data;
using Sustain.Data.Jobs;
using Sustain.Web.Jobs;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Jobs;

/// <summary>
/// One real database (SQLite file or PostgreSQL, as <see cref="TestDatabase"/> chooses) shared by
/// several job-runner instances, each with its own services, instance id and record of what its
/// handlers ran: what several app processes on one database look like, in one test process.
/// </summary>
public sealed class JobsTestHost : IAsyncDisposable
{
    private readonly TestDatabase _database = TestDatabase.Create();
    private readonly List<JobsTestInstance> _instances = [];

    private JobsTestHost()
    {
    }

    public DatabaseProvider Provider => Enum.Parse<DatabaseProvider>(_database.Provider);

    public static async Task<JobsTestHost> CreateAsync()
    {
        var host = new JobsTestHost();
        await using var db = host.NewDbContext();
        await db.Database.MigrateSustainDatabaseAsync();

        // A counter per job id under a primary key: a second run of a job shows as runs = 2, never as a second row.
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE job_test_runs (job_id VARCHAR(64) PRIMARY KEY, runs INTEGER NOT NULL)");
        return host;
    }

    /// <summary>A runner instance over this database: services of its own, as another process would have.</summary>
    public JobsTestInstance AddInstance(string name, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Jobs:PollInterval"] = "00:00:00.020",
            ["Jobs:RetryBaseDelay"] = "00:00:00.050",
            ["Jobs:ShutdownTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var instance = new JobsTestInstance(name, _database.Provider, _database.ConnectionString, values);
        _instances.Add(instance);
        return instance;
    }

    public SustainDbContext NewDbContext()
    {
        var options = new DbContextOptionsBuilder<SustainDbContext>();
        options.UseSustainDatabase(Provider, _database.ConnectionString);
        return new SustainDbContext(options.Options);
    }

    public async Task<Job> JobAsync(Guid id)
    {
        await using var db = NewDbContext();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id);
    }

    /// <summary>job id → how often <see cref="CountingHandler"/> ran it, from the database.</summary>
    public async Task<Dictionary<string, int>> RunCountsAsync()
    {
        await using var db = NewDbContext();
        return await db.Database.SqlQueryRaw<RunCount>("SELECT job_id AS \"JobId\", runs AS \"Runs\" FROM job_test_runs")
            .ToDictionaryAsync(r => r.JobId, r => r.Runs);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        await _database.DisposeAsync();
    }

    private sealed record RunCount(string JobId, int Runs);
}

public sealed class JobsTestInstance : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<JobWorker> _workers = [];

    internal JobsTestInstance(string name, string provider, string connectionString, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSustainDatabase(new DatabaseOptions { Provider = Enum.Parse<DatabaseProvider>(provider), ConnectionString = connectionString });
        services.AddSingleton(new JobInstance(name));
        services.AddSingleton<HandlerLedger>();
        services.AddJobRunner();
        services.AddJob<CountingHandler, CountPayload>(CountingHandler.Kind);
        services.AddJob<FailingHandler, FailPayload>(FailingHandler.Kind, maxAttempts: 3);
        services.AddJob<GatedHandler, GatePayload>(GatedHandler.Kind);
        services.AddRecurringJob<NightlyHandler>(NightlyHandler.Kind, NightlyHandler.Schedule);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Name = name;
    }

    public string Name { get; }

    public JobQueue Queue => _services.GetRequiredService<JobQueue>();

    public JobRunner Runner => _services.GetRequiredService<JobRunner>();

    public JobProgress Progress => _services.GetRequiredService<JobProgress>();

    public HandlerLedger Ledger => _services.GetRequiredService<HandlerLedger>();

    public JobOptions Options => _services.GetRequiredService<IOptions<JobOptions>>().Value;

    /// <summary>Starts a worker (the app's hosted service) on this instance's runner.</summary>
    public async Task<JobWorker> StartWorkerAsync()
    {
        var worker = ActivatorUtilities.CreateInstance<JobWorker>(_services);
        _workers.Add(worker);
        await worker.StartAsync(CancellationToken.None);
        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }

        Ledger.OpenAllGates();
        await _services.DisposeAsync();
    }
}

/// <summary>What one instance's handlers did, for tests to check.</summary>
public sealed class HandlerLedger
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();

    public ConcurrentDictionary<Guid, int> Runs { get; } = new();

    public ConcurrentQueue<(Guid JobId, int Attempt, long Timestamp)> Attempts { get; } = new();

    public ConcurrentQueue<Guid> Cancelled { get; } = new();

    public TaskCompletionSource Gate(string name) => _gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void OpenAllGates()
    {
        foreach (var gate in _gates.Values)
            gate.TrySetResult();
    }
}

public sealed record CountPayload(int WorkMilliseconds = 0);

public sealed record FailPayload(string Message);

public sealed record GatePayload(string Gate, long Total = 0, long Done = 0, string? Message = null);

/// <summary>Counts each run in the database (an upsert on the job id) and in the instance's ledger.</summary>
public sealed class CountingHandler(IDbContextFactory<SustainDbContext> databases, HandlerLedger ledger) : IJobHandler<CountPayload>
{
    public const string Kind = "test.count";

    public async Task RunAsync(CountPayload payload, JobContext context)
    {
        ledger.Runs.AddOrUpdate(context.JobId, 1, (_, n) => n + 1);
        if (payload.WorkMilliseconds > 0)
            await Task.Delay(payload.WorkMilliseconds, context.Cancellation);
        var id = context.JobId.ToString();
        await using var db = await databases.CreateDbContextAsync(context.Cancellation);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO job_test_runs (job_id, runs) VALUES ({id}, 1) ON CONFLICT (job_id) DO UPDATE SET runs = job_test_runs.runs + 1",
            context.Cancellation);
    }
}

public sealed class FailingHandler(HandlerLedger ledger) : IJobHandler<FailPayload>
{
    public const string Kind = "test.fail";

    public Task RunAsync(FailPayload payload, JobContext context)
    {
        ledger.Attempts.Enqueue((context.JobId, context.Attempt, Stopwatch.GetTimestamp()));
        throw new InvalidOperationException(payload.Message);
    }
}

/// <summary>Reports the payload's progress, then waits for the test to open its gate (or for cancellation).</summary>
public sealed class GatedHandler(HandlerLedger ledger) : IJobHandler<GatePayload>
{
    public const string Kind = "test.gated";

    public async Task RunAsync(GatePayload payload, JobContext context)
    {
        ledger.Runs.AddOrUpdate(context.JobId, 1, (_, n) => n + 1);
        if (payload.Total > 0)
            await context.ReportProgressAsync(payload.Done, payload.Total, payload.Message);
        try
        {
            await ledger.Gate(payload.Gate).Task.WaitAsync(context.Cancellation);
        }
        catch (OperationCanceledException)
        {
            ledger.Cancelled.Enqueue(context.JobId);
            throw;
        }
    }
}

public sealed class NightlyHandler(HandlerLedger ledger) : IJobHandler<RecurringOccurrence>
{
    public const string Kind = "test.nightly";

    /// <summary>Hourly, so a test rarely crosses an occurrence; tests that run workers still count only their own jobs.</summary>
    public static readonly RecurringSchedule Schedule = RecurringSchedule.Every(TimeSpan.FromHours(1));

    public Task RunAsync(RecurringOccurrence payload, JobContext context)
    {
        ledger.Runs.AddOrUpdate(context.JobId, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>Waits for a condition to hold, checking it again and again until a deadline; fails the test with what it waited for.</summary>
public static class Eventually
{
    /// <param name="explain">What the state was when the wait timed out, for the failure message.</param>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null, Func<Task<string>>? explain = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((within ?? TimeSpan.FromSeconds(30)).TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
                Assert.Fail($"Timed out waiting until {what}." + (explain is null ? "" : " " + await explain()));
            await Task.Delay(20);
        }
    }

    public static Task StateAsync(JobsTestHost host, Guid jobId, JobState state, TimeSpan? within = null) =>
        HoldsAsync(async () => (await host.JobAsync(jobId)).State == state, $"job {jobId} is {state}", within);
}
