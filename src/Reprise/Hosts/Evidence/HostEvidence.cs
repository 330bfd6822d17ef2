namespace Reprise.Hosts.Evidence;

/// <summary>
/// One host's evidence about itself: what it remembers per URL (<see cref="UrlLedger"/>) and the parts that read it
/// (throttles, failures, timeouts). The host's gates ask it before granting and tell it every outcome; it answers
/// with decisions and holds no clock, no lock and no timer of its own.
/// </summary>
/// <remarks>Not thread-safe: the host calls it under its lock.</remarks>
internal sealed class HostEvidence
{
    private readonly UrlLedger _ledger;
    private readonly ThrottleEvidence _throttles;
    private readonly FailureEvidence _failures;
    private readonly LatencyEvidence _timeouts = new();
    private readonly bool _checkThrottles;

    /// <param name="failureThreshold">Failing URLs in a row that open the circuit.</param>
    /// <param name="rateManaged">Whether an adaptive rate paces the host.</param>
    /// <param name="checkThrottles">Whether throttles are checked at all: not when neither a pause nor a rate could act on the verdict.</param>
    /// <param name="ledgerCapacity">How many URLs the host remembers.</param>
    public HostEvidence(int failureThreshold, bool rateManaged, bool checkThrottles = true, int ledgerCapacity = EvidenceDefaults.LedgerCapacity)
    {
        _ledger = new UrlLedger(ledgerCapacity);
        _checkThrottles = checkThrottles;
        _throttles = new ThrottleEvidence(rateManaged);
        _failures = new FailureEvidence(failureThreshold);
    }

    /// <summary>Gets what the host's throttles have shown so far.</summary>
    public ThrottleVerdict ThrottleVerdict => _throttles.Verdict;

    /// <summary>Gets the host's usual successful latency, or null before any success.</summary>
    public TimeSpan? UsualLatency => _timeouts.UsualLatency;

    /// <summary>Gets how many distinct failing URLs the breaker's current run holds.</summary>
    public int FailingUrls => _failures.FailingUrls;

    /// <summary>Gets the ledger, for tests and snapshots.</summary>
    internal UrlLedger Ledger => _ledger;

    /// <summary>Whether a request may be granted now (a throttle check may hold the host, or its retries, briefly).</summary>
    /// <param name="now">The registry's time.</param>
    /// <param name="afterOwnWait">Whether the request is a retry sent after its URL's own Retry-After.</param>
    /// <param name="askAgainAt">When to ask again if not.</param>
    /// <param name="oldestInFlight">When the oldest attempt still in flight was granted, if any.</param>
    public bool MayGrant(TimeSpan now, bool afterOwnWait, out TimeSpan askAgainAt, TimeSpan? oldestInFlight = null)
    {
        askAgainAt = now;
        return !_checkThrottles || _throttles.MayGrant(now, afterOwnWait, out askAgainAt, oldestInFlight);
    }

    /// <summary>Counts a granted request.</summary>
    public void OnGranted(TimeSpan now, bool afterOwnWait) => _throttles.OnGranted(now, afterOwnWait);

    /// <summary>Whether a request is fit to probe an open circuit: one already sent whose URL does not fail on its own (any, without a key).</summary>
    public bool MayProbe(in UrlHistory history)
    {
        if (history.Key == 0 || history.Attempt == 0)
        {
            return true;
        }

        _ledger.TryGet(history.Key, out var record);
        return history.AlreadySent && !record.FailsAlone && !_failures.FailsAloneSince(history.FirstFailedAt);
    }

    /// <summary>Whether the request may be the probe of an open circuit now.</summary>
    public bool MayProbe(TimeSpan now, TimeSpan probeAt, TimeSpan interval, long key, bool alreadySent, TimeSpan? firstFailedAt = null)
    {
        _ledger.TryGet(key, out var record);
        return FailureEvidence.MayProbe(now, probeAt, interval, alreadySent && !_failures.FailsAloneSince(firstFailedAt), record);
    }

    /// <summary>Gets the attempt timeout of a probe.</summary>
    public TimeSpan ProbeTimeout(TimeSpan attemptTimeout) => FailureEvidence.ProbeTimeout(_timeouts.UsualLatency, attemptTimeout);

    /// <summary>Whether the adaptive rate should disengage: it has not bound, nor the host throttled, for a while.</summary>
    /// <param name="now">The registry's time.</param>
    /// <param name="lastBound">When the rate last made a request wait.</param>
    /// <param name="lastThrottle">When the host last throttled.</param>
    public static bool RateShouldDisengage(TimeSpan now, TimeSpan lastBound, TimeSpan lastThrottle)
        => Quiet(now, lastThrottle) && Quiet(now, lastBound);

    private static bool Quiet(TimeSpan now, TimeSpan since) => since == TimeSpan.MinValue || now - since >= EvidenceDefaults.RateQuietPeriod;

    /// <summary>Forgets the throttle verdict (the adaptive rate disengaged).</summary>
    public void ForgetThrottles() => _throttles.Forget();

    /// <summary>Takes in one attempt's outcome and says what the gates should do.</summary>
    public EvidenceDecision OnCompleted(in AttemptReport report)
    {
        if (report.Signal == HostSignal.Cancelled)
        {
            return default;
        }

        var now = report.CompletedAt;
        bool known = _ledger.TryGet(report.Key, out var record);
        var before = record;
        bool afterOwnWait = report.AfterOwnWait || (known && record.Throttled && report.GrantedAt >= record.OwnWaitUntil);
        bool failedBefore = report.Previous is HostSignal.Failed or HostSignal.TimedOut;
        var decision = new EvidenceDecision
        {
            Probe = report.IsProbe
                ? FailureEvidence.JudgeProbe(report.Signal, _failures.FailsAloneSince(report.FirstFailedAt) ? new UrlRecord { Failures = 2, LastFailureAccepts = 1 } : before)
                : null,
        };

        switch (report.Signal)
        {
            case HostSignal.Accepted:
                _failures.OnAccepted(now);
                _timeouts.OnAccepted(report.Latency);
                decision = decision with { EngageRate = _throttles.OnAccepted(now, report.GrantedAt, afterOwnWait, report.AfterOwnWait) ? _throttles.CheckedAcceptedRate : null };

                // A URL the host served is healthy: nothing about it is worth remembering.
                _ledger.Remove(report.Key);
                return decision;

            case HostSignal.Throttled when report.Key == 0:
                // Without a URL there is no telling the URL's throttle from the host's: taken as the host's, as before.
                return decision with
                {
                    Throttle = (report.RetryAfter is null ? ThrottleActions.None : ThrottleActions.PauseHost) | ThrottleActions.DecreaseRate,
                };

            case HostSignal.Throttled when !_checkThrottles:
                return decision;

            case HostSignal.Throttled:
                record.Throttled = true;
                // The retry is parked when the policy decides, a moment before the host hears the outcome: a retry
                // granted within a tenth of its wait of the end still waited its own wait.
                record.OwnWaitUntil = now + ((report.RetryAfter ?? TimeSpan.Zero) * 0.9);
                record.TimedOut = false;
                decision = decision with
                {
                    Throttle = _throttles.OnThrottled(now, report.GrantedAt, afterOwnWait, report.RetryAfter, WitnessTimeout(), report.AfterOwnWait),
                };
                break;

            case HostSignal.TimedOut when report.Key == 0:
                // Without a URL a timeout cannot be told from congestion: it cuts, as before.
                _throttles.OnOther(report.GrantedAt, report.AfterOwnWait);
                return decision with { CutConcurrency = true, OpenCircuit = _failures.OnFailed(0, failedBefore, ref record) };

            case HostSignal.TimedOut:
                _throttles.OnOther(report.GrantedAt, report.AfterOwnWait);
                decision = decision with
                {
                    CutConcurrency = _timeouts.OnTimedOut(record.TimedOut || report.Previous == HostSignal.TimedOut) == TimeoutVerdict.Congestion,
                    OpenCircuit = _failures.OnFailed(report.Key, failedBefore, ref record, report.FirstFailedAt, timedOut: true),
                };
                record.TimedOut = true;
                record.Throttled = false;
                break;

            default:
                _throttles.OnOther(report.GrantedAt, report.AfterOwnWait);

                // A URL failing again is its own evidence, not the host's: only a URL's first failure counts towards the
                // share of failures and may say the host sheds load (a fifth of the URLs failing fast on every retry beside
                // healthy URLs answering in 1 s held the limit at 1-2 for 40 s).
                bool firstFailure = !failedBefore || report.Key == 0;
                if (firstFailure)
                {
                    _timeouts.OnFailed(report.Latency);
                }

                decision = decision with
                {
                    OpenCircuit = _failures.OnFailed(report.Key, failedBefore, ref record, report.FirstFailedAt),
                    CutConcurrency = report.Key != 0 && firstFailure && _timeouts.IsShed(report.Latency),
                };
                record.TimedOut = false;
                record.Throttled = false;
                break;
        }

        _ledger.Set(report.Key, record);
        return decision;
    }

    private TimeSpan WitnessTimeout()
        => _timeouts.UsualLatency is { } usual ? TimeSpan.FromTicks(usual.Ticks * 4) : EvidenceDefaults.MinWitnessTimeout;
}
