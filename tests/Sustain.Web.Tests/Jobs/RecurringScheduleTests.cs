using Sustain.Web.Jobs;

namespace Sustain.Web.Tests.Jobs;

public sealed class RecurringScheduleTests
{
    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("2026-11-25T10:07:30Z", "2026-11-25T10:15:00Z")]
    [InlineData("2026-11-25T10:15:00Z", "2026-11-25T10:30:00Z")]
    [InlineData("2026-11-25T23:59:59Z", "2026-11-26T00:00:00Z")]
    public void An_interval_falls_on_multiples_of_itself_so_every_instance_agrees(string now, string next)
    {
        Assert.Equal(At(next), RecurringSchedule.Every(TimeSpan.FromMinutes(15)).NextAfter(At(now)));
    }

    [Theory]
    [InlineData("2026-11-25T01:00:00Z", "2026-11-25T03:30:00Z")]
    [InlineData("2026-11-25T03:30:00Z", "2026-11-26T03:30:00Z")]
    [InlineData("2026-12-31T22:00:00Z", "2027-01-01T03:30:00Z")]
    public void A_daily_schedule_is_the_next_time_of_day_in_utc(string now, string next)
    {
        Assert.Equal(At(next), RecurringSchedule.Daily(new TimeOnly(3, 30)).NextAfter(At(now)));
    }

    [Fact]
    public void A_daily_schedule_reads_an_instant_in_any_offset_as_utc()
    {
        var sevenInTheMorningInBerlin = new DateTimeOffset(2026, 11, 25, 7, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal(At("2026-11-26T06:00:00Z"), RecurringSchedule.Daily(new TimeOnly(6, 0)).NextAfter(sevenInTheMorningInBerlin));
    }

    [Theory]
    [InlineData("2026-01-15T00:00:00Z", "2026-01-31T02:00:00Z")]
    [InlineData("2026-01-31T02:00:00Z", "2026-02-28T02:00:00Z")]
    [InlineData("2028-02-01T00:00:00Z", "2028-02-29T02:00:00Z")]
    [InlineData("2026-12-31T03:00:00Z", "2027-01-31T02:00:00Z")]
    public void A_monthly_schedule_on_the_31st_falls_on_the_last_day_of_shorter_months(string now, string next)
    {
        Assert.Equal(At(next), RecurringSchedule.Monthly(31, new TimeOnly(2, 0)).NextAfter(At(now)));
    }

    [Fact]
    public void Schedules_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RecurringSchedule.Every(TimeSpan.FromMilliseconds(10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecurringSchedule.Monthly(0, TimeOnly.MinValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecurringSchedule.Monthly(32, TimeOnly.MinValue));
    }

    [Fact]
    public void An_occurrence_key_names_the_job_and_the_instant()
    {
        var job = new RecurringJob("funding.refresh", RecurringSchedule.Daily(new TimeOnly(3, 0)));

        Assert.Equal("funding.refresh:2026-11-26T03:00:00Z", job.KeyFor(At("2026-11-26T03:00:00Z")));
    }

    [Theory]
    [InlineData(1, 100, 200)]
    [InlineData(2, 200, 400)]
    [InlineData(3, 400, 800)]
    [InlineData(10, 30_000, 60_000)]
    public void Backoff_doubles_each_attempt_with_half_of_it_jittered_and_is_capped(int attempt, int lowestMs, int highestMs)
    {
        var baseDelay = TimeSpan.FromMilliseconds(200);
        var cap = TimeSpan.FromMinutes(1);

        Assert.Equal(TimeSpan.FromMilliseconds(lowestMs), JobRunner.Backoff(attempt, baseDelay, cap, jitter: 0));
        Assert.Equal(TimeSpan.FromMilliseconds(highestMs), JobRunner.Backoff(attempt, baseDelay, cap, jitter: 1));
        Assert.InRange(JobRunner.Backoff(attempt, baseDelay, cap, jitter: 0.5), TimeSpan.FromMilliseconds(lowestMs), TimeSpan.FromMilliseconds(highestMs));
    }
}
