namespace Reprise.Hosts.Evidence;

/// <summary>
/// The constants of the evidence parts: how a host's shared view tells the host's own trouble from one URL's.
/// docs/host-coordination.md ("Evidence about the host") gives the reasons.
/// </summary>
internal static class EvidenceDefaults
{
    /// <summary>How many URLs a host remembers (failures, own waits, timeouts); the least recently seen goes first.</summary>
    public const int LedgerCapacity = 1_024;

    /// <summary>
    /// How long the first throttles hold the host's sends before a few witnesses test whether holding helped. A
    /// token bucket of 40 requests/s or more has refilled two tokens by then; against per-URL Retry-After the check
    /// costs this once (1,000 URLs that each wait their own second take 1.2-2 s without coordination).
    /// </summary>
    public static readonly TimeSpan CheckHold = TimeSpan.FromMilliseconds(50);

    /// <summary>How many requests are sent after the hold, as witnesses, before the check decides.</summary>
    public const int CheckWitnesses = 2;

    /// <summary>How often a request held for the witnesses' answers asks again.</summary>
    public static readonly TimeSpan WitnessRecheck = TimeSpan.FromMilliseconds(10);

    /// <summary>The shortest time the check waits for its witnesses' answers before it concludes that holding did not help.</summary>
    public static readonly TimeSpan MinWitnessTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>Retries sent after their own Retry-After and throttled again that make the host's throttles host-wide.</summary>
    public const int ThrottledAgainThreshold = 2;

    /// <summary>Throttles in a row, with no accept for <see cref="OutageWindow"/>, that turn a rate limit into an outage.</summary>
    public const int OutageThrottlesInARow = 8;

    /// <summary>How long without an accepted response, while throttled, marks an outage rather than a rate limit.</summary>
    public static readonly TimeSpan OutageWindow = TimeSpan.FromSeconds(2);

    /// <summary>How long without a throttle before the host's throttle verdict is forgotten.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(10);

    /// <summary>The adaptive rate disengages once it has not bound for this long without a throttle.</summary>
    public static readonly TimeSpan RateQuietPeriod = TimeSpan.FromSeconds(10);

    /// <summary>Successful latency above this multiple of the long-term latency is congestion (Netflix Gradient2's tolerance is 1.5).</summary>
    public const double LatencyTolerance = 2.0;

    /// <summary>Smoothing of the long-term and short-term successful latency (Gradient2 averages the long one over 600 samples).</summary>
    public const double LongLatencySmoothing = 1.0 / 128;

    /// <summary>Smoothing of the short-term successful latency.</summary>
    public const double ShortLatencySmoothing = 1.0 / 8;

    /// <summary>A probe's attempt timeout: this multiple of the usual successful latency, at least <see cref="MinProbeTimeout"/>.</summary>
    public const double ProbeTimeoutFactor = 4.0;

    /// <summary>The shortest attempt timeout of a probe.</summary>
    public static readonly TimeSpan MinProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The shortest time in flight after which an attempt can count as hung (<see cref="HangEvidence"/>): four times the
    /// usual latency, but never less than this, so that a pause of the collector or the scheduler on a host that
    /// answers in a millisecond hangs nothing. Shorter than <see cref="MinProbeTimeout"/>: a released slot ends no
    /// request, it only lets the next one go.
    /// </summary>
    public static readonly TimeSpan MinHungAfter = TimeSpan.FromMilliseconds(250);

    /// <summary>A failure faster than this share of the usual successful latency was shed at the door (overload).</summary>
    public const double ShedShare = 0.25;

    /// <summary>And at least this much faster: on a fast host a failure a fraction of a millisecond quicker says nothing.</summary>
    public static readonly TimeSpan ShedMargin = TimeSpan.FromMilliseconds(5);

    /// <summary>The recent share of failures among accepted and failed responses from which a fast failure is overload.</summary>
    public const double ShedFailureShare = 0.5;

    /// <summary>
    /// Fast failures in a row, with nothing accepted between, that say the host sheds load whatever the recent share of
    /// failures: a host just past its capacity refuses in a burst.
    /// </summary>
    public const int ShedRun = 3;

    /// <summary>Smoothing of the recent share of failures (about the last 16 responses).</summary>
    public const double FailureShareSmoothing = 1.0 / 16;
}
