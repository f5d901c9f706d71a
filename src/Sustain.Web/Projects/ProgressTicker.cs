using Sustain.Web.Jobs;

namespace Sustain.Web.Projects;

/// <summary>
/// Lets many threads report a job's progress: they set the latest state, and one loop writes it to
/// the job every quarter second, so a report made just before a long wait (a rate limit) still shows.
/// </summary>
internal sealed class ProgressTicker : IAsyncDisposable
{
    private readonly JobContext _context;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private State? _latest;
    private State? _written;
    private long _writtenAt;

    public ProgressTicker(JobContext context)
    {
        _context = context;
        _loop = LoopAsync();
    }

    public void Set(long done, long total, string message) => Volatile.Write(ref _latest, new State(done, total, message));

    public State? Latest => Volatile.Read(ref _latest);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        if (Latest is { } last)
            await _context.ReportProgressAsync(last.Done, last.Total, last.Message);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            // The context holds back reports closer together than its interval, so a state is written
            // again now and then: the one it held back is then written too.
            var latest = Latest;
            if (latest is null || (latest == _written && Environment.TickCount64 - _writtenAt < 2000))
                continue;
            await _context.ReportProgressAsync(latest.Done, latest.Total, latest.Message);
            (_written, _writtenAt) = (latest, Environment.TickCount64);
        }
    }

    internal sealed record State(long Done, long Total, string Message);
}
