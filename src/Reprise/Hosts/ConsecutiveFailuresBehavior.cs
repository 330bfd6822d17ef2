namespace Reprise.Hosts;

/// <summary>
/// Breaks after <c>threshold</c> failed or timed-out attempts in a row (an accepted one resets the run; a throttle and a
/// cancellation say nothing), and probes after an interval that doubles with each failed probe up to a maximum.
/// </summary>
internal sealed class ConsecutiveFailuresBehavior : CircuitBehavior
{
    private readonly int _threshold;
    private readonly TimeSpan _probeInterval;
    private readonly TimeSpan _maxProbeInterval;
    private int _consecutiveFailures;
    private int _failedProbes;

    public ConsecutiveFailuresBehavior(int threshold, TimeSpan probeInterval, TimeSpan maxProbeInterval)
    {
        _threshold = threshold;
        _probeInterval = probeInterval;
        _maxProbeInterval = maxProbeInterval;
    }

    /// <inheritdoc/>
    public override TimeSpan OpenInterval => _probeInterval;

    /// <inheritdoc/>
    public override bool OnClosedOutcome(HostSignal signal)
    {
        if (signal == HostSignal.Accepted)
        {
            _consecutiveFailures = 0;
            return false;
        }

        return signal is HostSignal.Failed or HostSignal.TimedOut && ++_consecutiveFailures >= _threshold;
    }

    /// <inheritdoc/>
    public override void OnClosed()
    {
        _consecutiveFailures = 0;
        _failedProbes = 0;
    }

    /// <inheritdoc/>
    public override TimeSpan OnProbeFailed() => ProbeBackoff(++_failedProbes, _probeInterval, _maxProbeInterval);

    /// <summary>The open interval after <paramref name="failedProbes"/> failed probes: the interval doubled that often, at most the maximum.</summary>
    internal static TimeSpan ProbeBackoff(int failedProbes, TimeSpan interval, TimeSpan max)
    {
        double backoff = interval.Ticks * Math.Pow(2, Math.Min(failedProbes, 30));
        return TimeSpan.FromTicks((long)Math.Min(backoff, max.Ticks));
    }
}
