using Microsoft.Extensions.Options;

namespace Sustain.Web.Jobs;

/// <summary>
/// Polls for due jobs and runs up to <see cref="JobOptions.Concurrency"/> at once. On shutdown it
/// stops claiming, lets running jobs finish within <see cref="JobOptions.ShutdownTimeout"/>, then
/// cancels the rest and hands them back to the queue for another instance.
/// </summary>
public sealed class JobWorker(JobRunner runner, IOptions<JobOptions> options, TimeProvider time, ILogger<JobWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.WorkerDisabled();
            return;
        }

        logger.WorkerStarted(runner.InstanceId, settings.Concurrency);
        var running = new List<Task>();
        using var abort = new CancellationTokenSource();
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            try
            {
                await runner.ScheduleRecurringAsync(time.GetUtcNow(), stoppingToken);
                var free = settings.Concurrency - running.Count;
                foreach (var job in await runner.ClaimAsync(free, stoppingToken))
                    running.Add(runner.RunAsync(job, abort.Token));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.PollFailed(e, settings.PollInterval);
            }

            // Full: wake when a slot frees. Otherwise the queue had no more due work: wake at the next poll.
            var wake = running.Count >= settings.Concurrency ? Task.WhenAny(running) : Task.Delay(settings.PollInterval, time, stoppingToken);
            try
            {
                await wake.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        await DrainAsync(running, settings.ShutdownTimeout, abort);
    }

    private async Task DrainAsync(List<Task> running, TimeSpan grace, CancellationTokenSource abort)
    {
        var all = Task.WhenAll(running);
        if (all.IsCompleted)
            return;
        var unfinished = running.Count(t => !t.IsCompleted);
        logger.Draining(grace, unfinished);
        try
        {
            await all.WaitAsync(grace, time);
        }
        catch (TimeoutException)
        {
            logger.DrainTimedOut(grace);
            await abort.CancelAsync();
            await all;
        }
    }
}
