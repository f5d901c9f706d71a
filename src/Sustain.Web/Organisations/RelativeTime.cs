using System.Globalization;

namespace Sustain.Web.Organisations;

/// <summary>"3 hours ago" for lists, with the exact instant kept for a tooltip.</summary>
public static class RelativeTime
{
    public static string Describe(DateTimeOffset when, DateTimeOffset now)
    {
        var ago = now - when;
        if (ago < TimeSpan.Zero)
            return "in " + Span(-ago);
        return ago < TimeSpan.FromMinutes(1) ? "just now" : Span(ago) + " ago";
    }

    public static string Exact(DateTimeOffset when) => when.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Span(TimeSpan span) => span switch
    {
        { TotalMinutes: < 60 } => Plural((int)span.TotalMinutes, "minute"),
        { TotalHours: < 23.5 } => Plural((int)Math.Round(span.TotalHours), "hour"),
        { TotalDays: < 60 } => Plural((int)Math.Round(span.TotalDays), "day"),
        { TotalDays: < 730 } => Plural((int)(span.TotalDays / 30), "month"),
        _ => Plural((int)(span.TotalDays / 365), "year"),
    };

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{Math.Max(n, 1)} {unit}s";
}
