namespace Reprise.Timing;

/// <summary>
/// The clock of one <see cref="Hosts.HostRegistry"/>, and so of every handler, bulk run and host gate that shares it:
/// its <see cref="TimeProvider"/>, and registry time, a <see cref="TimeSpan"/> since the registry was created.
/// </summary>
/// <remarks>
/// Host gates compute in registry time (they add and compare spans, and are tested with plain spans); the handler and
/// the bulk engine stamp their requests with raw timestamps (one <see langword="long"/> read, the cheapest to keep and
/// subtract). This is where the two meet: <see cref="TimeAt"/> and its inverse <see cref="TimestampAt"/>. A
/// timestamp's ticks need not be <see cref="TimeSpan"/>'s (the system's are nanoseconds on Linux); both ways round
/// down, so a registry time read from a timestamp never lies after it, and a timer armed for the span between two
/// registry times never fires before the later one. docs/design.md, "Clocks".
/// </remarks>
internal sealed class RegistryClock
{
    private readonly long _origin;

    /// <summary>Initializes a new instance of the <see cref="RegistryClock"/> class: registry time starts now.</summary>
    public RegistryClock(TimeProvider provider)
    {
        Provider = provider;
        _origin = provider.GetTimestamp();
    }

    /// <summary>Gets the time source: its timestamps, timers and wall clock.</summary>
    public TimeProvider Provider { get; }

    /// <summary>Gets the registry time now: monotonic, from <see cref="Provider"/>'s timestamps.</summary>
    public TimeSpan Now => Provider.GetElapsedTime(_origin);

    /// <summary>Gets the registry time at <paramref name="timestamp"/>, a reading of <see cref="Provider"/>'s timestamps (rounded down).</summary>
    public TimeSpan TimeAt(long timestamp) => Provider.GetElapsedTime(_origin, timestamp);

    /// <summary>Gets the timestamp at <paramref name="time"/>, a registry time (rounded down); the inverse of <see cref="TimeAt"/>.</summary>
    public long TimestampAt(TimeSpan time) => _origin + ToTimestampTicks(time);

    /// <summary>Gets the wall-clock time (UTC) at <paramref name="time"/>, a registry time: for snapshots and events only.</summary>
    public DateTimeOffset ToUtc(TimeSpan time) => Provider.GetUtcNow() + (time - Now);

    /// <summary>Gets <paramref name="span"/> in <see cref="Provider"/>'s timestamp ticks, rounded down; <see cref="TimeProvider.GetElapsedTime(long, long)"/> is the other way.</summary>
    private long ToTimestampTicks(TimeSpan span)
    {
        var frequency = Provider.TimestampFrequency;
        return frequency == TimeSpan.TicksPerSecond
            ? span.Ticks
            : (long)(span.Ticks * ((double)frequency / TimeSpan.TicksPerSecond));
    }
}
