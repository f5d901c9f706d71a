using Sustain.Web.Jobs;

namespace Sustain.Web.Projects;

/// <summary>
/// Lets many threads report a job's progress: they set the latest state, and one loop writes it to
/// the job a little less often than the context's progress interval (so no write is held back), and
/// a report made just before a long wait (a rate limit) still shows.
/// </summary>
internal sealed class ProgressTicker : IAsyncDisposable
{
    private readonly JobContext _context;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private State? _latest;
    private readonly TimeSpan _period;
    private State? _written;

    public ProgressTicker(JobContext context, TimeSpan progressInterval)
    {
        _context = context;
        _period = progressInterval + TimeSpan.FromMilliseconds(50);
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
        using var timer = new PeriodicTimer(_period);
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            var latest = Latest;
            if (latest is null || latest == _written)
                continue;
            await _context.ReportProgressAsync(latest.Done, latest.Total, latest.Message);
            _written = latest;
        }
    }

    internal sealed record State(long Done, long Total, string Message);
}
