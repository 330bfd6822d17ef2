namespace Reprise.Hosts;

/// <summary>
/// Decides which outcomes cut the host's limits: a throttle or a timeout, once per round trip. Only a request granted
/// after the last decrease may decrease again, as TCP reduces its window once per loss event (RFC 5681 section 3.2),
/// not once per lost segment: 100 simultaneous 429s cut the limits once.
/// </summary>
/// <remarks>Not thread-safe: <see cref="HostState"/> calls it under its lock.</remarks>
internal sealed class OverloadDetector
{
    private long _lastDecrease;

    /// <summary>Whether an outcome says the host is overloaded.</summary>
    public static bool IsOverload(HostSignal signal) => signal is HostSignal.Throttled or HostSignal.TimedOut;

    /// <summary>Whether the limits decrease for this outcome of the request granted <paramref name="permitSequence"/>th.</summary>
    /// <param name="signal">The outcome.</param>
    /// <param name="permitSequence">The grant order of the request that ended.</param>
    /// <param name="lastGranted">The grant order of the latest request: the next decrease waits for a request granted after it.</param>
    public bool ShouldDecrease(HostSignal signal, long permitSequence, long lastGranted)
        => ShouldDecrease(IsOverload(signal), permitSequence, lastGranted);

    /// <summary>Whether the limits decrease for an outcome the evidence judged as overload (<paramref name="overload"/>).</summary>
    public bool ShouldDecrease(bool overload, long permitSequence, long lastGranted)
    {
        if (!overload || permitSequence <= _lastDecrease)
        {
            return false;
        }

        _lastDecrease = lastGranted;
        return true;
    }
}
