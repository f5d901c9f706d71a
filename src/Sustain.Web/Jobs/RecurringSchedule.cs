namespace Sustain.Web.Jobs;

/// <summary>
/// When a recurring job is due. Occurrences are pure functions of time (UTC), so every instance
/// computes the same ones and the idempotency key "name:occurrence" makes them run once.
/// </summary>
public abstract record RecurringSchedule
{
    /// <summary>Every <paramref name="interval"/>, counted from the Unix epoch.</summary>
    public static RecurringSchedule Every(TimeSpan interval) =>
        interval >= TimeSpan.FromSeconds(1) ? new IntervalSchedule(interval) : throw new ArgumentOutOfRangeException(nameof(interval), interval, "A recurring interval is at least one second.");

    public static RecurringSchedule Daily(TimeOnly atUtc) => new DailySchedule(atUtc);

    /// <summary>On <paramref name="day"/> of each month, or its last day when the month is shorter.</summary>
    public static RecurringSchedule Monthly(int day, TimeOnly atUtc) =>
        day is >= 1 and <= 31 ? new MonthlySchedule(day, atUtc) : throw new ArgumentOutOfRangeException(nameof(day), day, "A day of the month is 1 to 31.");

    /// <summary>The first occurrence strictly after <paramref name="instant"/>.</summary>
    public abstract DateTimeOffset NextAfter(DateTimeOffset instant);

    private sealed record IntervalSchedule(TimeSpan Interval) : RecurringSchedule
    {
        public override DateTimeOffset NextAfter(DateTimeOffset instant)
        {
            var sinceEpoch = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
            var elapsed = sinceEpoch >= 0 ? sinceEpoch / Interval.Ticks : ((sinceEpoch + 1) / Interval.Ticks) - 1;
            return DateTimeOffset.UnixEpoch.AddTicks((elapsed + 1) * Interval.Ticks);
        }
    }

    private sealed record DailySchedule(TimeOnly At) : RecurringSchedule
    {
        public override DateTimeOffset NextAfter(DateTimeOffset instant)
        {
            var utc = instant.ToUniversalTime();
            var today = new DateTimeOffset(DateOnly.FromDateTime(utc.UtcDateTime), At, TimeSpan.Zero);
            return today > utc ? today : today.AddDays(1);
        }
    }

    private sealed record MonthlySchedule(int Day, TimeOnly At) : RecurringSchedule
    {
        public override DateTimeOffset NextAfter(DateTimeOffset instant)
        {
            var utc = instant.ToUniversalTime();
            var thisMonth = Occurrence(utc.Year, utc.Month);
            if (thisMonth > utc)
                return thisMonth;
            var next = new DateOnly(utc.Year, utc.Month, 1).AddMonths(1);
            return Occurrence(next.Year, next.Month);
        }

        private DateTimeOffset Occurrence(int year, int month) =>
            new(new DateOnly(year, month, Math.Min(Day, DateTime.DaysInMonth(year, month))), At, TimeSpan.Zero);
    }
}
