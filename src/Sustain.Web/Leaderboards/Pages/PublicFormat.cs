using System.Globalization;
using Sustain.Core;

namespace Sustain.Web.Leaderboards.Pages;

/// <summary>How the public pages write figures: whole currency units, percentages without decimals, dates in words.</summary>
internal static class PublicFormat
{
    public static string Amount(Money money) => LeaderboardsSetup.Whole(money);

    public static string Amount(Money? money) => money is { } m ? Amount(m) : "–";

    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Window(Leaderboard board) => $"{Date(board.From)} to {Date(board.To)}";

    /// <summary>The width of a bar, 0–100, capped so one outlier does not flatten the rest.</summary>
    public static string Bar(double? share) => (Math.Clamp(share ?? 0, 0, 1) * 100).ToString("0.#", CultureInfo.InvariantCulture);
}
