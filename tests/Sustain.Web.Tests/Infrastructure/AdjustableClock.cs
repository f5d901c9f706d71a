namespace Sustain.Web.Tests.Infrastructure;

/// <summary>A clock the tests move, so expiry and time windows are tested without waiting.</summary>
public sealed class AdjustableClock : TimeProvider
{
    private DateTimeOffset now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
