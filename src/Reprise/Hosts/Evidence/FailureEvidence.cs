namespace Reprise.Hosts.Evidence;

/// <summary>What a failed probe of an open circuit means.</summary>
internal enum ProbeVerdict
{
    /// <summary>The probe was accepted: close the circuit.</summary>
    Close,

    /// <summary>The probe failed on the host's account: reopen for a longer interval.</summary>
    Reopen,

    /// <summary>The probe failed, but its URL fails on its own: probe again at once with another request.</summary>
    Explained,
}

/// <summary>
/// The circuit breaker's evidence: it counts failing URLs, not failing attempts, and picks and judges probes. Pure:
/// the circuit's state and timing live apart, in the part that holds the state; this part only decides.
/// </summary>
/// <remarks>
/// <para>
/// A URL counts whole when it fails again and half at its first failure: a first failure may be the URL's bad luck
/// or a moment's overload that its retry gets through, and a URL that fails every attempt is one piece of evidence,
/// not four. A first timeout counts nothing: a request that hangs once is its own trouble until its retry hangs too. Nor does a URL count that fails on its own, again after the host has accepted others since its first
/// failure. The run of failing URLs ends at any accepted response. So a host where a fifth of the URLs always fail
/// never opens; a dead host opens once its first URLs have failed twice. A failure with no URL key (key 0) counts
/// as a URL of its own, as every attempt counted before.
/// </para>
/// <para>
/// The probe is a request that has already been sent once (a fresh URL may hang where the host does not) and whose
/// URL does not fail on its own; other requests may probe a little later (<see cref="CircuitController"/>'s grace), when no such request came. A probe
/// whose URL explains its failure does not keep the circuit open. Not thread-safe: the host calls it under its lock.
/// </para>
/// </remarks>
internal sealed class FailureEvidence
{
    private readonly int _threshold;
    private long _run = 1;
    private int _failingHalves;

    public FailureEvidence(int threshold) => _threshold = threshold;

    /// <summary>Gets how many responses the host accepted: the clock of "failed again after others were served".</summary>
    public long Accepts { get; private set; }

    /// <summary>Gets when the host last accepted a response.</summary>
    public TimeSpan LastAcceptAt { get; private set; } = TimeSpan.MinValue;

    /// <summary>Gets how many distinct failing URLs the current run holds.</summary>
    public int FailingUrls => _failingHalves / 2;

    /// <summary>Gets how long a probe may take: a few times the usual latency, at least a second, at most the attempt timeout.</summary>
    public static TimeSpan ProbeTimeout(TimeSpan? usualLatency, TimeSpan attemptTimeout)
    {
        if (usualLatency is not { } usual)
        {
            return attemptTimeout;
        }

        var probe = TimeSpan.FromTicks((long)(usual.Ticks * EvidenceDefaults.ProbeTimeoutFactor));
        if (probe < EvidenceDefaults.MinProbeTimeout)
        {
            probe = EvidenceDefaults.MinProbeTimeout;
        }

        return attemptTimeout != Timeout.InfiniteTimeSpan && attemptTimeout < probe ? attemptTimeout : probe;
    }

    /// <summary>Whether a request may be the probe now: one already sent whose URL does not fail alone, or anyone an interval later.</summary>
    /// <param name="now">The registry's time.</param>
    /// <param name="probeAt">When the circuit lets its next probe go.</param>
    /// <param name="interval">The circuit's current open interval.</param>
    /// <param name="alreadySent">Whether the request has sent an attempt before.</param>
    /// <param name="record">What the host remembers of the request's URL (default when nothing).</param>
    public static bool MayProbe(TimeSpan now, TimeSpan probeAt, TimeSpan interval, bool alreadySent, in UrlRecord record)
    {
        if (now < probeAt)
        {
            return false;
        }

        return (alreadySent && !record.FailsAlone) || now >= probeAt + interval;
    }

    /// <summary>Whether a request waiting for an open circuit has waited as long as its own attempts would have lasted.</summary>
    /// <param name="failedProbesWhileWaiting">Probes that failed since the request began to wait.</param>
    /// <param name="waited">How long the request has waited for the circuit.</param>
    /// <param name="attemptsLeft">The attempts the request has left.</param>
    /// <param name="perAttempt">What one attempt against the dead host costs: the probe's timeout and the base open interval.</param>
    /// <param name="lastProbeFailed">When the last failed probe ended, counted from when the request began to wait.</param>
    /// <param name="probeTimeout">How long a probe may take.</param>
    /// <remarks>
    /// Each failed probe fails on behalf of everyone waiting for it, and so does the time an attempt would have taken
    /// once a probe failed while the last of those attempts would have been in flight: waiting never costs more than
    /// trying would (the open interval doubles, a request's own attempts do not wait that long), and a waiter never
    /// ends unless the host failed a probe, nor on older news than its own last attempt would have brought (the host
    /// may have recovered since: then the waiter has the host probed, <see cref="CircuitController.ProbeNow"/>).
    /// </remarks>
    public static bool WaiterExhausted(int failedProbesWhileWaiting, TimeSpan waited, int attemptsLeft, TimeSpan perAttempt, TimeSpan lastProbeFailed, TimeSpan probeTimeout)
    {
        if (failedProbesWhileWaiting <= 0)
        {
            return false;
        }

        var budget = WaitBudget(attemptsLeft, perAttempt);
        return failedProbesWhileWaiting >= attemptsLeft
            || (waited >= budget && ProbeFailedInLastAttempt(failedProbesWhileWaiting, lastProbeFailed, budget, probeTimeout));
    }

    /// <summary>
    /// Whether a probe failed while a waiting request's last attempt would have been in flight: from a probe's timeout
    /// before its wait's end. When none did by the time that attempt would have been sent, the waiter has the host probed.
    /// </summary>
    /// <param name="failedProbesWhileWaiting">Probes that failed since the request began to wait.</param>
    /// <param name="lastProbeFailed">When the last failed probe ended, counted from when the request began to wait.</param>
    /// <param name="budget">How long the request may wait (<see cref="WaitBudget"/>).</param>
    /// <param name="probeTimeout">How long a probe may take.</param>
    public static bool ProbeFailedInLastAttempt(int failedProbesWhileWaiting, TimeSpan lastProbeFailed, TimeSpan budget, TimeSpan probeTimeout)
        => failedProbesWhileWaiting > 0 && lastProbeFailed >= budget - probeTimeout;

    /// <summary>Gets how long a request may wait for an open circuit: as long as its attempts left would have taken.</summary>
    public static TimeSpan WaitBudget(int attemptsLeft, TimeSpan perAttempt) => perAttempt * Math.Max(1, attemptsLeft);

    /// <summary>Takes in a failed attempt (a failure or a timeout); true when the run of failing URLs reaches the threshold.</summary>
    /// <param name="key">The URL's key, or 0 for none.</param>
    /// <param name="failedBefore">Whether the request's previous attempt failed too (its own history, beyond the ledger).</param>
    /// <param name="record">The URL's record, updated here.</param>
    /// <param name="firstFailedAt">When the request's first failure ended, from its own history, if known.</param>
    /// <param name="timedOut">Whether the attempt timed out: a first timeout is the URL's own (a hang) and counts nothing.</param>
    public bool OnFailed(long key, bool failedBefore, ref UrlRecord record, TimeSpan? firstFailedAt = null, bool timedOut = false)
    {
        if (key == 0)
        {
            _failingHalves += 2;
            return _failingHalves >= 2 * _threshold;
        }

        if (FailsAloneSince(firstFailedAt))
        {
            // The host served others since this request first failed: its failures are its own (even when the
            // ledger, bounded, has forgotten the URL).
            record.Failures++;
            return false;
        }

        if (record.Failures == 0)
        {
            record.FirstFailureAccepts = Accepts;
        }

        record.Failures++;
        record.LastFailureAccepts = Accepts;
        if (record.FailsAlone)
        {
            return false;
        }

        // Half a piece of evidence for a first failure, a whole one once the URL failed again; a URL never adds more.
        int counted = record.CountedInRun == _run ? record.CountedHalves : 0;
        int target = failedBefore || record.Failures >= 2 ? 2 : timedOut ? 0 : 1;
        if (target <= counted)
        {
            return false;
        }

        record.CountedInRun = _run;
        record.CountedHalves = target;
        _failingHalves += target - counted;
        return _failingHalves >= 2 * _threshold;
    }

    /// <summary>Whether the host accepted anything since a request first failed at <paramref name="firstFailedAt"/>.</summary>
    public bool FailsAloneSince(TimeSpan? firstFailedAt) => firstFailedAt is { } first && LastAcceptAt > first;

    /// <summary>Takes in an accepted response: the run of failing URLs ends.</summary>
    /// <param name="now">When it came.</param>
    public void OnAccepted(TimeSpan now)
    {
        LastAcceptAt = now;
        Accepts++;
        _run++;
        _failingHalves = 0;
    }

    /// <summary>Judges a probe's outcome by its signal and what its URL's record said before the probe.</summary>
    public static ProbeVerdict JudgeProbe(HostSignal signal, in UrlRecord before)
    {
        if (signal == HostSignal.Accepted)
        {
            return ProbeVerdict.Close;
        }

        return before.FailsAlone ? ProbeVerdict.Explained : ProbeVerdict.Reopen;
    }
}
