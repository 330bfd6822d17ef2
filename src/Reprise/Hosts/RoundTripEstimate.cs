namespace Reprise.Hosts;

/// <summary>
/// The host's smoothed round-trip time, as TCP's SRTT (RFC 6298 section 2, alpha = 1/8): sampled only from round trips
/// that were measured (send to response headers), never from timeouts, errors or cancellations.
/// </summary>
/// <remarks>Not thread-safe: <see cref="HostState"/> updates it under its lock.</remarks>
internal sealed class RoundTripEstimate
{
    /// <summary>The estimate before the first sample.</summary>
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets the smoothed round-trip time.</summary>
    public TimeSpan Smoothed { get; private set; } = Initial;

    /// <summary>Takes in one measured round trip.</summary>
    public void Sample(TimeSpan roundTrip) => Smoothed = TimeSpan.FromTicks(((Smoothed.Ticks * 7) + roundTrip.Ticks) / 8);

    /// <summary>How long a caller refused for the concurrency limit waits before asking again: one slot's share of a round trip.</summary>
    public TimeSpan SlotWait(int limit) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, Smoothed.Ticks / Math.Max(1, limit)));
}
