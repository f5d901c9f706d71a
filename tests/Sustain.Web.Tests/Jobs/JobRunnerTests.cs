using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Sustain.Data.Jobs;
using Sustain.Web.Jobs;

namespace Sustain.Web.Tests.Jobs;

/// <summary>The runner against a real database, with several instances sharing it as app processes would.</summary>
public sealed class JobRunnerTests : IAsyncLifetime
{
    private JobsTestHost _host = default!;

    public async Task InitializeAsync() => _host = await JobsTestHost.CreateAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Enqueueing_the_same_key_twice_returns_the_existing_job()
    {
        var queue = _host.AddInstance("a").Queue;

        var first = await queue.EnqueueAsync(CountingHandler.Kind, new CountPayload(), "upload-42");
        var second = await queue.EnqueueAsync(CountingHandler.Kind, new CountPayload(WorkMilliseconds: 99), "upload-42");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(JobState.Queued, second.State);
        await using var db = _host.NewDbContext();
        var stored = await db.Jobs.SingleAsync();
        Assert.Equal(first.Id, stored.Id);
        Assert.Contains("\"workMilliseconds\":0", stored.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instances_enqueueing_one_key_at_once_store_one_job()
    {
        var a = _host.AddInstance("a").Queue;
        var b = _host.AddInstance("b").Queue;

        var jobs = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? a : b).EnqueueAsync(CountingHandler.Kind, new CountPayload(), "report-2026-11")));

        Assert.Single(jobs.Select(j => j.Id).Distinct());
        await using var db = _host.NewDbContext();
        Assert.Equal(1, await db.Jobs.CountAsync());
    }

    [Fact]
    public async Task The_same_key_under_another_kind_is_another_job()
    {
        var queue = _host.AddInstance("a").Queue;

        var counted = await queue.EnqueueAsync(CountingHandler.Kind, new CountPayload(), "same");
        var failed = await queue.EnqueueAsync(FailingHandler.Kind, new FailPayload("x"), "same");

        Assert.NotEqual(counted.Id, failed.Id);
    }

    [Fact]
    public async Task Enqueueing_a_kind_without_a_handler_is_refused_with_the_registration_to_add()
    {
        var queue = _host.AddInstance("a").Queue;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => queue.EnqueueAsync("no.such.kind", new CountPayload()));

        Assert.Contains("AddJob<THandler, TPayload>(\"no.such.kind\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_runs_once_and_succeeds()
    {
        var instance = _host.AddInstance("a");
        var job = await instance.Queue.EnqueueAsync(CountingHandler.Kind, new CountPayload());

        await instance.StartWorkerAsync();
        await Eventually.StateAsync(_host, job.Id, JobState.Succeeded);

        var done = await _host.JobAsync(job.Id);
        Assert.Equal(1, done.Attempts);
        Assert.Null(done.LeaseOwner);
        Assert.Null(done.LeaseExpiresAt);
        Assert.NotNull(done.StartedAt);
        Assert.True(done.FinishedAt >= done.StartedAt);
        Assert.Equal(1, (await _host.RunCountsAsync())[job.Id.ToString()]);
    }

    [Fact]
    public async Task A_job_waits_until_its_run_at()
    {
        var instance = _host.AddInstance("a");
        var later = await instance.Queue.EnqueueAsync(CountingHandler.Kind, new CountPayload(), runAt: DateTimeOffset.UtcNow.AddHours(1));
        var now = await instance.Queue.EnqueueAsync(CountingHandler.Kind, new CountPayload());

        await instance.StartWorkerAsync();
        await Eventually.StateAsync(_host, now.Id, JobState.Succeeded);

        Assert.Equal(JobState.Queued, (await _host.JobAsync(later.Id)).State);
        Assert.False(instance.Ledger.Runs.ContainsKey(later.Id));
    }

    [Fact]
    public async Task A_failing_job_retries_with_growing_delays_then_is_dead()
    {
        var instance = _host.AddInstance("a", new Dictionary<string, string?> { ["Jobs:RetryBaseDelay"] = "00:00:00.200" });
        var job = await instance.Queue.EnqueueAsync(FailingHandler.Kind, new FailPayload("the registry answered 503"));

        await instance.StartWorkerAsync();
        await Eventually.StateAsync(_host, job.Id, JobState.Dead);

        var dead = await _host.JobAsync(job.Id);
        Assert.Equal(3, dead.Attempts);
        Assert.Equal(3, dead.MaxAttempts);
        Assert.Equal("InvalidOperationException: the registry answered 503", dead.LastError);
        Assert.NotNull(dead.FinishedAt);
        Assert.Null(dead.LeaseOwner);

        // Retry n waits between half and all of base × 2^(n-1): at least 100 ms, then at least 200 ms.
        var attempts = instance.Ledger.Attempts.ToList();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        Assert.True(Stopwatch.GetElapsedTime(attempts[0].Timestamp, attempts[1].Timestamp) >= TimeSpan.FromMilliseconds(100));
        Assert.True(Stopwatch.GetElapsedTime(attempts[1].Timestamp, attempts[2].Timestamp) >= TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_failed_attempt_waits_for_its_retry_time_in_the_failed_state()
    {
        var instance = _host.AddInstance("a", new Dictionary<string, string?> { ["Jobs:RetryBaseDelay"] = "01:00:00" });
        var job = await instance.Queue.EnqueueAsync(FailingHandler.Kind, new FailPayload("flaky"));

        await instance.StartWorkerAsync();
        await Eventually.StateAsync(_host, job.Id, JobState.Failed);

        var failed = await _host.JobAsync(job.Id);
        Assert.Equal(1, failed.Attempts);
        Assert.InRange(failed.NextRunAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(60));
        Assert.Equal("InvalidOperationException: flaky", failed.LastError);
    }

    [Fact]
    public async Task An_operator_retry_gives_a_dead_job_fresh_attempts()
    {
        var instance = _host.AddInstance("a");
        var job = await instance.Queue.EnqueueAsync(FailingHandler.Kind, new FailPayload("down"));
        await instance.StartWorkerAsync();
        await Eventually.StateAsync(_host, job.Id, JobState.Dead);

        Assert.True(await instance.Queue.RetryAsync(job.Id));
        await Eventually.HoldsAsync(() => Task.FromResult(instance.Ledger.Attempts.Count == 6), "the job has run three more attempts");
        await Eventually.StateAsync(_host, job.Id, JobState.Dead);

        Assert.False(await instance.Queue.RetryAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_cancelled_job_never_runs()
    {
        var instance = _host.AddInstance("a");
        var job = await instance.Queue.EnqueueAsync(CountingHandler.Kind, new CountPayload(), runAt: DateTimeOffset.UtcNow.AddMilliseconds(300));

        Assert.True(await instance.Queue.CancelAsync(job.Id, "operator ops@example.test"));
        var marker = await instance.Queue.EnqueueAsync(CountingHandler.Kind, new CountPayload(), runAt: DateTimeOffset.UtcNow.AddMilliseconds(400));
        await instance.StartWorkerAsync();
        await Eventually.StateAsync(_host, marker.Id, JobState.Succeeded);

        var cancelled = await _host.JobAsync(job.Id);
        Assert.Equal(JobState.Dead, cancelled.State);
        Assert.Equal("Cancelled by operator ops@example.test.", cancelled.LastError);
        Assert.False(instance.Ledger.Runs.ContainsKey(job.Id));
        Assert.False(await instance.Queue.CancelAsync(job.Id, "operator"));
    }

    [Fact]
    public async Task Two_workers_run_each_of_200_jobs_exactly_once()
    {
        // Workers poll often so the run is short even on a loaded machine; what is asserted is exactly-once, not speed.
        var settings = new Dictionary<string, string?> { ["Jobs:Concurrency"] = "4", ["Jobs:PollInterval"] = "00:00:00.050" };
        var a = _host.AddInstance("worker-a", settings);
        var b = _host.AddInstance("worker-b", settings);
        var jobs = new List<Guid>();
        for (var i = 0; i < 200; i++)
            jobs.Add((await a.Queue.EnqueueAsync(CountingHandler.Kind, new CountPayload(WorkMilliseconds: 5))).Id);

        await a.StartWorkerAsync();
        await b.StartWorkerAsync();
        await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = _host.NewDbContext();
                // Only this test's kind: the instances' recurring job may also succeed if the run crosses a minute.
                return await db.Jobs.CountAsync(j => j.Kind == CountingHandler.Kind && j.State == JobState.Succeeded) == 200;
            },
            "all 200 jobs have succeeded",
            TimeSpan.FromSeconds(240),
            async () =>
            {
                await using var db = _host.NewDbContext();
                var unfinished = await db.Jobs.AsNoTracking().Where(j => j.Kind == CountingHandler.Kind && j.State != JobState.Succeeded).ToListAsync();
                return $"{unfinished.Count} not succeeded: " + string.Join("; ", unfinished.Take(10).Select(j => $"{j.Id} {j.State} attempt {j.Attempts} lease {j.LeaseOwner} {j.LastError}"));
            });

        var counts = await _host.RunCountsAsync();
        Assert.Equal(jobs.Select(j => j.ToString()).Order(), counts.Keys.Order());
        Assert.All(counts, c => Assert.Equal(1, c.Value));

        // The ledgers also record the recurring job if the run crossed a minute; look only at the 200.
        var ours = jobs.ToHashSet();
        var ranOnA = a.Ledger.Runs.Where(r => ours.Contains(r.Key)).ToList();
        var ranOnB = b.Ledger.Runs.Where(r => ours.Contains(r.Key)).ToList();
        Assert.All(ranOnA.Concat(ranOnB), r => Assert.Equal(1, r.Value));
        Assert.Empty(ranOnA.Select(r => r.Key).Intersect(ranOnB.Select(r => r.Key)));
        Assert.Equal(200, ranOnA.Count + ranOnB.Count);
        Assert.NotEmpty(ranOnA);
        Assert.NotEmpty(ranOnB);
        await using var check = _host.NewDbContext();
        Assert.Equal(200, await check.Jobs.CountAsync(j => j.Kind == CountingHandler.Kind && j.Attempts == 1));
    }

    [Fact]
    public async Task Runners_claiming_at_once_never_get_the_same_job()
    {
        var instances = Enumerable.Range(0, 6).Select(i => _host.AddInstance($"claimer-{i}")).ToList();
        for (var i = 0; i < 60; i++)
            await instances[0].Queue.EnqueueAsync(CountingHandler.Kind, new CountPayload());

        // Threads of their own: SQLite's "async" calls complete synchronously, which would take turns instead of racing.
        var claimed = await Task.WhenAll(instances.Select(instance => Task.Run(async () =>
        {
            var mine = new List<Guid>();
            while (await instance.Runner.ClaimAsync(3) is { Count: > 0 } jobs)
                mine.AddRange(jobs.Select(j => j.Id));
            return mine;
        })));

        var all = claimed.SelectMany(c => c).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(60, all.Distinct().Count());
        await using var db = _host.NewDbContext();
        var owners = await db.Jobs.Select(j => new { j.Id, j.LeaseOwner, j.State }).ToListAsync();
        Assert.All(owners, o => Assert.Equal(JobState.Running, o.State));
        for (var i = 0; i < instances.Count; i++)
            Assert.All(claimed[i], id => Assert.Equal($"claimer-{i}", owners.Single(o => o.Id == id).LeaseOwner));
    }

    [Fact]
    public async Task Of_runners_racing_for_one_job_exactly_one_wins()
    {
        var instances = Enumerable.Range(0, 6).Select(i => _host.AddInstance($"racer-{i}")).ToList();
        for (var round = 0; round < 15; round++)
        {
            var job = await instances[0].Queue.EnqueueAsync(CountingHandler.Kind, new CountPayload());
            using var start = new Barrier(instances.Count);

            var results = await Task.WhenAll(instances.Select(instance => Task.Run(async () =>
            {
                start.SignalAndWait();
                return await instance.Runner.ClaimAsync(1);
            })));

            Assert.Equal(1, results.Sum(r => r.Count));
            var winner = instances[Array.FindIndex(results, r => r.Count == 1)];
            Assert.Equal(winner.Name, (await _host.JobAsync(job.Id)).LeaseOwner);
        }
    }

    [Fact]
    public async Task A_job_whose_worker_died_is_taken_over_once_its_lease_expires()
    {
        var dead = _host.AddInstance("died");
        var survivor = _host.AddInstance("survivor");
        var job = await dead.Queue.EnqueueAsync(CountingHandler.Kind, new CountPayload());
        Assert.Single(await dead.Runner.ClaimAsync(1));

        // While the lease holds, nobody else may take the job.
        Assert.Empty(await survivor.Runner.ClaimAsync(1));

        await ExpireLeaseAsync(job.Id);
        await survivor.StartWorkerAsync();
        await Eventually.StateAsync(_host, job.Id, JobState.Succeeded);

        var done = await _host.JobAsync(job.Id);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(1, survivor.Ledger.Runs[job.Id]);
        Assert.Empty(dead.Ledger.Runs);
    }

    [Fact]
    public async Task A_job_whose_worker_died_on_its_last_attempt_is_dead()
    {
        var dead = _host.AddInstance("died");
        var survivor = _host.AddInstance("survivor");
        var job = await dead.Queue.EnqueueAsync(FailingHandler.Kind, new FailPayload("never runs"));
        await using (var db = _host.NewDbContext())
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Attempts, 2));
        Assert.Single(await dead.Runner.ClaimAsync(1));
        await ExpireLeaseAsync(job.Id);

        Assert.Empty(await survivor.Runner.ClaimAsync(1));

        var buried = await _host.JobAsync(job.Id);
        Assert.Equal(JobState.Dead, buried.State);
        Assert.Contains("lease expired", buried.LastError, StringComparison.Ordinal);
        Assert.Null(buried.LeaseOwner);
    }

    [Fact]
    public async Task A_worker_that_lost_its_lease_records_nothing()
    {
        var slow = _host.AddInstance("slow");
        var other = _host.AddInstance("other");
        var job = await slow.Queue.EnqueueAsync(GatedHandler.Kind, new GatePayload("slow"));
        var claimed = Assert.Single(await slow.Runner.ClaimAsync(1));
        var running = slow.Runner.RunAsync(claimed, CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(slow.Ledger.Runs.ContainsKey(job.Id)), "the slow worker's handler has started");

        await ExpireLeaseAsync(job.Id);
        Assert.Single(await other.Runner.ClaimAsync(1));
        slow.Ledger.Gate("slow").SetResult();
        await running;

        var taken = await _host.JobAsync(job.Id);
        Assert.Equal(JobState.Running, taken.State);
        Assert.Equal("other", taken.LeaseOwner);
        Assert.Equal(2, taken.Attempts);
    }

    [Fact]
    public async Task Shutdown_lets_a_running_job_finish_within_the_grace_period()
    {
        var instance = _host.AddInstance("a");
        var job = await instance.Queue.EnqueueAsync(GatedHandler.Kind, new GatePayload("finish"));
        var worker = await instance.StartWorkerAsync();
        await Eventually.StateAsync(_host, job.Id, JobState.Running);

        var stopping = worker.StopAsync(CancellationToken.None);
        Assert.False(stopping.IsCompleted);
        instance.Ledger.Gate("finish").SetResult();
        await stopping;

        Assert.Equal(JobState.Succeeded, (await _host.JobAsync(job.Id)).State);
        Assert.Empty(instance.Ledger.Cancelled);
    }

    [Fact]
    public async Task Shutdown_hands_back_a_job_that_outlasts_the_grace_period()
    {
        var instance = _host.AddInstance("a", new Dictionary<string, string?> { ["Jobs:ShutdownTimeout"] = "00:00:00.100" });
        var next = _host.AddInstance("b");
        var job = await instance.Queue.EnqueueAsync(GatedHandler.Kind, new GatePayload("never"));
        var worker = await instance.StartWorkerAsync();
        await Eventually.StateAsync(_host, job.Id, JobState.Running);

        await worker.StopAsync(CancellationToken.None);

        var released = await _host.JobAsync(job.Id);
        Assert.Equal(JobState.Queued, released.State);
        Assert.Equal(0, released.Attempts);
        Assert.Null(released.LeaseOwner);
        Assert.Equal([job.Id], instance.Ledger.Cancelled);
        var claimed = Assert.Single(await next.Runner.ClaimAsync(1));
        Assert.Equal(job.Id, claimed.Id);
    }

    [Fact]
    public async Task A_recurring_occurrence_scheduled_by_two_instances_runs_once()
    {
        var a = _host.AddInstance("a");
        var b = _host.AddInstance("b");

        // Scheduling as of two hours ago makes an occurrence (hourly) due now.
        var asOf = DateTimeOffset.UtcNow.AddHours(-2);
        await Task.WhenAll(a.Runner.ScheduleRecurringAsync(asOf), b.Runner.ScheduleRecurringAsync(asOf), a.Runner.ScheduleRecurringAsync(asOf));
        Guid due;
        await using (var db = _host.NewDbContext())
        {
            var occurrence = Assert.Single(await db.Jobs.Where(j => j.Kind == NightlyHandler.Kind).ToListAsync());
            Assert.Equal(NightlyHandler.Schedule.NextAfter(asOf), occurrence.NextRunAt);
            Assert.Equal($"{NightlyHandler.Kind}:{occurrence.NextRunAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z", occurrence.IdempotencyKey);
            due = occurrence.Id;
        }

        var started = DateTimeOffset.UtcNow;
        await a.StartWorkerAsync();
        await b.StartWorkerAsync();
        await Eventually.StateAsync(_host, due, JobState.Succeeded);

        Assert.Equal(1, a.Ledger.Runs.GetValueOrDefault(due) + b.Ledger.Runs.GetValueOrDefault(due));
        await using var check = _host.NewDbContext();
        var next = await check.Jobs.Where(j => j.Kind == NightlyHandler.Kind && j.Id != due).ToListAsync();

        // The workers have each scheduled the next occurrence too: one job for it, whichever worker came first.
        var upcoming = Assert.Single(next);
        Assert.Equal(NightlyHandler.Schedule.NextAfter(started), upcoming.NextRunAt);
    }

    [Fact]
    public async Task Progress_reaches_the_database_and_reads_as_message_and_percent()
    {
        var instance = _host.AddInstance("a");
        var job = await instance.Queue.EnqueueAsync(GatedHandler.Kind, new GatePayload("progress", Total: 1000, Done: 600, Message: "Resolving 1,234 packages"));
        await instance.StartWorkerAsync();

        var seen = new List<string>();
        await foreach (var snapshot in instance.Progress.WatchAsync(job.Id, TimeSpan.FromMilliseconds(20)))
        {
            seen.Add(snapshot.Describe(DateTimeOffset.UtcNow));
            if (snapshot.ProgressTotal > 0)
                instance.Ledger.Gate("progress").TrySetResult();
        }

        Assert.Contains("Resolving 1,234 packages — 60%", seen);
        Assert.Equal("Resolving 1,234 packages — 100%", seen[^1]);
        Assert.Equal(JobState.Succeeded, (await _host.JobAsync(job.Id)).State);
    }

    private async Task ExpireLeaseAsync(Guid jobId)
    {
        var past = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var db = _host.NewDbContext();
        Assert.Equal(1, await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, past)));
    }
}
