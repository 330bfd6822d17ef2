namespace Reprise.Hosts.Evidence;

/// <summary>What a timeout says about the host.</summary>
internal enum TimeoutVerdict
{
    /// <summary>One request hung while the host answers others as usual: its own trouble, not the host's.</summary>
    Hung,

    /// <summary>The host is slowing down, or a URL that timed out timed out again: cut the concurrency limit.</summary>
    Congestion,
}

/// <summary>
/// Reads the host's latency: tells a hung request from congestion, and a request shed at the door from a flaky
/// failure. A hung request is told from congestion by the host's successful latency (after Netflix concurrency-limits'
/// Gradient2: a long-term average against a short-term one, with a tolerance) and by retries of timed-out URLs.
/// </summary>
/// <remarks>
/// A timeout cuts the limit only when successful latency has risen (short-term average above
/// <see cref="EvidenceDefaults.LatencyTolerance"/> times the long-term one) or when a URL that timed out times out
/// again. So when every first call hangs and every retry answers at once, the limit is never cut; when the host
/// answers nothing, retries time out too and the limit falls. Not thread-safe: the host calls it under its lock.
/// </remarks>
internal sealed class LatencyEvidence
{
    private double _long;
    private double _short;
    private bool _measured;
    private double _failureShare;
    private int _fastFailuresInARow;

    /// <summary>Gets the host's usual successful latency, or null before any success.</summary>
    public TimeSpan? UsualLatency => _measured ? TimeSpan.FromSeconds(_long) : null;

    /// <summary>Gets whether recent successful latency is well above the usual one.</summary>
    public bool LatencyRising => _measured && _short > EvidenceDefaults.LatencyTolerance * _long;

    /// <summary>Takes in the latency of an accepted attempt.</summary>
    public void OnAccepted(TimeSpan latency)
    {
        _failureShare -= _failureShare * EvidenceDefaults.FailureShareSmoothing;
        _fastFailuresInARow = 0;
        double seconds = Math.Max(0, latency.TotalSeconds);
        if (!_measured)
        {
            _long = seconds;
            _short = seconds;
            _measured = true;
            return;
        }

        _long += (seconds - _long) * EvidenceDefaults.LongLatencySmoothing;
        _short += (seconds - _short) * EvidenceDefaults.ShortLatencySmoothing;
    }

    /// <summary>
    /// Whether a failure came back far faster than the host's successes (<see cref="IsFast"/>) while failures are most of
    /// what the host answers lately, or came in a run of such fast failures with nothing accepted between: a host that
    /// sheds load at the door answers at once without doing the work, while a flaky host's failures take about as long
    /// as its successes. Call after <see cref="OnFailed(TimeSpan)"/> has counted the failure.
    /// </summary>
    /// <remarks>
    /// Fast failures alone are not enough: URLs that fail on their own, however fast, are a steady share (a fifth of the
    /// URLs always failing beside healthy ones slow to answer cut the limit to nothing without the share; measured on
    /// real sockets: 404 of 1,000 URLs by 45 s against 800 in 9.4 s). But a host just past its capacity sheds in a
    /// burst: each refusal frees a slot that the next request fills and loses at once. Waiting for the share to climb
    /// from nothing to a half took 11 refusals in a row each time the limit grew past the capacity (a host of capacity
    /// 20: 11 503s every third of a second); a run of <see cref="EvidenceDefaults.ShedRun"/> says it sooner, and URLs
    /// failing on their own seldom come back that many in a row with nothing accepted between.
    /// </remarks>
    public bool IsShed(TimeSpan latency) => IsShed(IsFast(latency), _failureShare, _fastFailuresInARow);

    /// <summary>The decision: a fast failure while failures dominate, or in a run of fast failures.</summary>
    internal static bool IsShed(bool fast, double failureShare, int fastFailuresInARow)
        => fast && (failureShare >= EvidenceDefaults.ShedFailureShare || fastFailuresInARow >= EvidenceDefaults.ShedRun);

    /// <summary>
    /// Whether a failure came back far faster than the host's successes: below <see cref="EvidenceDefaults.ShedShare"/>
    /// of the usual latency, and <see cref="EvidenceDefaults.ShedMargin"/> faster.
    /// </summary>
    public bool IsFast(TimeSpan latency)
        => _measured
            && latency.TotalSeconds < _long * EvidenceDefaults.ShedShare
            && _long - latency.TotalSeconds >= EvidenceDefaults.ShedMargin.TotalSeconds;

    /// <summary>
    /// Counts a URL's first failure (a 5xx without Retry-After or a transport error) in the recent share of failures,
    /// and in the run of fast failures since the host last accepted anything (a slow failure ends the run).
    /// </summary>
    public void OnFailed(TimeSpan latency)
    {
        _failureShare += (1 - _failureShare) * EvidenceDefaults.FailureShareSmoothing;
        _fastFailuresInARow = IsFast(latency) ? _fastFailuresInARow + 1 : 0;
    }

    /// <summary>Judges a timeout.</summary>
    /// <param name="timedOutBefore">Whether the same URL's previous attempt timed out too.</param>
    public TimeoutVerdict OnTimedOut(bool timedOutBefore)
        => timedOutBefore || LatencyRising ? TimeoutVerdict.Congestion : TimeoutVerdict.Hung;
}
