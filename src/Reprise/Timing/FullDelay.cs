namespace Reprise.Timing;

/// <summary>A wait that lasts at least as long as asked, as the time provider's own timestamps measure it.</summary>
/// <remarks>
/// The system's timers count whole milliseconds and may end up to one short of their wait. For a server's Retry-After
/// that is a request sent early: the chaos server saw retries come back a fraction of a millisecond before the second it
/// had asked for. The rest of the wait is waited out, at least a millisecond at a time.
/// </remarks>
internal static class FullDelay
{
    private static readonly TimeSpan TimerResolution = TimeSpan.FromMilliseconds(1);

    /// <summary>Waits at least <paramref name="delay"/> by <paramref name="timeProvider"/>'s timestamps.</summary>
    public static async Task WaitAsync(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        long start = timeProvider.GetTimestamp();
        await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        for (var left = delay - timeProvider.GetElapsedTime(start); left > TimeSpan.Zero; left = delay - timeProvider.GetElapsedTime(start))
        {
            await Task.Delay(left > TimerResolution ? left : TimerResolution, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
