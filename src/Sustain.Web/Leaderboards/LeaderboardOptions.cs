namespace Sustain.Web.Leaderboards;

public sealed class LeaderboardOptions
{
    public const string Section = "Leaderboards";

    /// <summary>How far back the leaderboards look.</summary>
    public int WindowMonths { get; set; } = 12;

    /// <summary>The currency the leaderboards rank in; payments in other currencies are not converted, so they do not count.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>
    /// How long a computed leaderboard, and a rendered public page, badge or export, is reused. Each
    /// instance keeps its own copy, so instances agree within this time. 0 turns caching off: each reader waits for a refresh of its own.
    /// </summary>
    public int CacheSeconds { get; set; } = 60;

    /// <summary>
    /// How late a ledger posting may become visible after the time it was recorded (a slow transaction,
    /// the clocks of several instances apart) and still be counted by the next refresh. Each refresh reads
    /// again the postings recorded this long before the newest it has seen.
    /// </summary>
    public int RecordedMarginSeconds { get; set; } = 300;

    /// <summary>
    /// How often a refresh sums every ledger line of the window instead of reading only what changed: the
    /// backstop for a posting that became visible later than <see cref="RecordedMarginSeconds"/>.
    /// </summary>
    public int FullRefreshMinutes { get; set; } = 60;

    /// <summary>Rows on each leaderboard page; the open data gives up to <see cref="MaxExportRows"/>.</summary>
    public int PageRows { get; set; } = 100;

    public int MaxExportRows { get; set; } = 10_000;

    /// <summary>
    /// A project counts as unfunded while it received less than this (in the currency's major units)
    /// per organisation relying on it over the window.
    /// </summary>
    public long UnfundedBelowPerRelyingOrganisation { get; set; } = 100;

    /// <summary>The Open Source Pledge benchmark per developer per year, in US dollars.</summary>
    public long BenchmarkUsdPerDeveloper { get; set; } = 2_000;
}
