namespace Reprise.Hosts;

/// <summary>
/// The host's shared pause from a server's Retry-After: nobody is sent before <see cref="Until"/>. The one place that
/// holds the pause; the rate limiter only hears when sending stops (<see cref="AdaptiveRateLimiter.PauseUntil"/>).
/// </summary>
/// <remarks>Not thread-safe and reads no clock: <see cref="HostState"/> calls it under its lock with the registry's time.</remarks>
internal sealed class HostPause
{
    private readonly bool _enabled;
    private readonly TimeSpan _max;

    public HostPause(bool enabled, TimeSpan max)
    {
        _enabled = enabled;
        _max = max;
    }

    /// <summary>Gets when the pause ends (zero when the host was never paused).</summary>
    public TimeSpan Until { get; private set; }

    /// <summary>Gets the length of the pause that set <see cref="Until"/>: what the release spread is a share of.</summary>
    public TimeSpan Length { get; private set; }

    /// <summary>Caps a server's requested wait at the longest pause; null when it asked for none.</summary>
    public TimeSpan? Cap(TimeSpan? serverRetryAfter) =>
        serverRetryAfter is { } wait && wait > TimeSpan.Zero ? (wait > _max ? _max : wait) : null;

    /// <summary>Whether nobody may be sent at <paramref name="now"/>, and for how long.</summary>
    public bool IsPaused(TimeSpan now, out TimeSpan wait)
    {
        bool paused = _enabled && now < Until;
        wait = paused ? Until - now : TimeSpan.Zero;
        return paused;
    }

    /// <summary>Pauses the host for <paramref name="pause"/> from <paramref name="now"/>; a shorter pause never shortens a longer one.</summary>
    /// <returns>Whether the pause began or grew (the caller then tells the rate limiter and the observer).</returns>
    public bool Extend(TimeSpan now, TimeSpan pause)
    {
        var until = now + pause;
        if (!_enabled || until <= Until)
        {
            return false;
        }

        Until = until;
        Length = pause;
        return true;
    }

    /// <summary>
    /// The random share of a pause each waiter adds when it ends, so that waiters do not all arrive at once:
    /// <paramref name="length"/> x <paramref name="spread"/> x <paramref name="draw"/>, a draw in [0, 1).
    /// </summary>
    public static TimeSpan Spread(TimeSpan length, double spread, double draw) =>
        TimeSpan.FromTicks((long)(length.Ticks * spread * draw));
}
