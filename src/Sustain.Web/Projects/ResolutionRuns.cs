using System.Collections.Concurrent;

namespace Sustain.Web.Projects;

/// <summary>A run started from the projects page: its latest progress, and how it ended.</summary>
public sealed class ResolutionRun
{
    public ResolutionProgress Progress { get; internal set; } = new("Starting", 0, 0);

    public ResolutionReport? Report { get; internal set; }

    public string? Error { get; internal set; }

    public bool Finished { get; internal set; }

    public DateTimeOffset StartedAt { get; internal init; }
}

/// <summary>
/// Runs started with "Resolve now": the run goes on in the background when the page is closed, and a
/// page opened meanwhile shows its progress. Until the durable job runner takes this over, a run
/// lives only as long as the process.
/// </summary>
public sealed partial class ResolutionRuns(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<ResolutionRuns> logger)
{
    private readonly ConcurrentDictionary<Guid, ResolutionRun> _runs = new();

    /// <summary>Raised (on a pool thread) with the organisation's id whenever a run reports progress or ends.</summary>
    public event Action<Guid>? Changed;

    public ResolutionRun? Latest(Guid organisationId) => _runs.GetValueOrDefault(organisationId);

    /// <summary>Starts a run unless one is going; either way returns the organisation's current run.</summary>
    public ResolutionRun Start(Guid organisationId)
    {
        var run = new ResolutionRun { StartedAt = clock.GetUtcNow() };
        while (true)
        {
            if (_runs.TryGetValue(organisationId, out var current))
            {
                if (!current.Finished)
                    return current;
                if (!_runs.TryUpdate(organisationId, run, current))
                    continue;
            }
            else if (!_runs.TryAdd(organisationId, run))
            {
                continue;
            }

            _ = Task.Run(() => RunAsync(organisationId, run));
            return run;
        }
    }

    private async Task RunAsync(Guid organisationId, ResolutionRun run)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var resolver = scope.ServiceProvider.GetRequiredService<ProjectResolver>();
            var progress = new Reporter(p =>
            {
                run.Progress = p;
                Changed?.Invoke(organisationId);
            });
            run.Report = await resolver.ResolveOrganisationAsync(organisationId, progress, lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            run.Error = "The run was stopped because the server is shutting down.";
        }
#pragma warning disable CA1031 // A background run must end with a message for the page, whatever went wrong.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, e, organisationId);
            run.Error = "Resolution failed unexpectedly; the error has been logged. Try again in a moment.";
        }
        finally
        {
            run.Finished = true;
            Changed?.Invoke(organisationId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Resolving the projects of organisation {OrganisationId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid organisationId);

    /// <summary>Reports straight away on the caller's thread: <see cref="Progress{T}"/> would queue to a pool thread and reorder reports.</summary>
    private sealed class Reporter(Action<ResolutionProgress> report) : IProgress<ResolutionProgress>
    {
        public void Report(ResolutionProgress value) => report(value);
    }
}
