namespace Sustain.Web.Leaderboards;

/// <summary>
/// Lets a background refresh give way to requests: every so many rows it steps off its thread for a
/// moment, so on a busy machine the pages being served get the processor first and the refresh takes
/// a little longer, instead of their latency rising while it runs. A reader waiting for the first
/// leaderboards does not pause.
/// </summary>
internal readonly record struct Pacing(bool GivesWay)
{
    private const int RowsPerBreath = 2_000;

    public static Pacing Background => new(true);

    public static Pacing Waited => new(false);

    public ValueTask BreatheAsync(int rows, CancellationToken cancellation) =>
        GivesWay && rows % RowsPerBreath == 0 ? new ValueTask(Task.Delay(TimeSpan.FromMilliseconds(1), cancellation)) : ValueTask.CompletedTask;
}
