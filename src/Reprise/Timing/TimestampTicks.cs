namespace Reprise.Timing;

/// <summary>
/// Converts between a span of time and a span of a <see cref="TimeProvider"/>'s timestamp ticks, whose frequency need
/// not be <see cref="TimeSpan"/>'s (the system's is nanoseconds on Linux). The library's one conversion that way:
/// <see cref="TimeProvider.GetElapsedTime(long, long)"/> is the other.
/// </summary>
internal static class TimestampTicks
{
    /// <summary>Gets <paramref name="span"/> in <paramref name="timeProvider"/>'s timestamp ticks, rounded down.</summary>
    public static long From(TimeSpan span, TimeProvider timeProvider)
    {
        var frequency = timeProvider.TimestampFrequency;
        return frequency == TimeSpan.TicksPerSecond
            ? span.Ticks
            : (long)(span.Ticks * ((double)frequency / TimeSpan.TicksPerSecond));
    }

    /// <summary>
    /// Gets <paramref name="ticks"/> of <paramref name="timeProvider"/>'s timestamps as a span, rounded up: a timer armed
    /// for it does not fire before that many ticks have passed.
    /// </summary>
    public static TimeSpan ToTimeSpan(long ticks, TimeProvider timeProvider)
    {
        var frequency = timeProvider.TimestampFrequency;
        return frequency == TimeSpan.TicksPerSecond
            ? TimeSpan.FromTicks(ticks)
            : TimeSpan.FromTicks((long)Math.Ceiling(ticks * ((double)TimeSpan.TicksPerSecond / frequency)));
    }
}
