using System.Diagnostics;

namespace Reprise.Hosts.Evidence;

/// <summary>
/// Tells a host's own throttling from throttles each URL gets on its own, and decides what a throttle does: wait for
/// the URL alone, pace the host, or pause it. Pure: no clock of its own, every call takes the time.
/// </summary>
/// <remarks>
/// <para>
/// Acting on the host helps only where the trouble is the host's. Under a token bucket a short hold helps at once:
/// requests sent after it are accepted. Under per-URL Retry-After it does not: fresh URLs keep getting their own
/// Retry-After whatever the pace. So the first throttle holds the host's sends for <see cref="EvidenceDefaults.CheckHold"/>,
/// then lets <see cref="EvidenceDefaults.CheckWitnesses"/> requests through as witnesses. All accepted: the host limits
/// its rate (<see cref="ThrottleVerdict.RateLimited"/>). One throttled: each URL waits alone (<see cref="ThrottleVerdict.PerUrl"/>).
/// The check costs one hold, never a whole Retry-After.
/// </para>
/// <para>
/// The check cannot see a bucket slower than its hold, nor an outage (nothing is accepted either way). URLs retried
/// after their own wait are the witnesses of that: under per-URL Retry-After they are accepted; when they are
/// throttled again (at least <see cref="EvidenceDefaults.ThrottledAgainThreshold"/> and half of them) the trouble is
/// the host's: a rate limit when the host accepted anything within <see cref="EvidenceDefaults.OutageWindow"/>, else
/// an outage. Retries alone are not trusted the other way: under a token bucket retries, sent first, pass while fresh
/// URLs get 429s, which looks per URL. An outage pauses the host but says nothing about its rate, so it never lowers
/// the adaptive rate: when the host accepts again the verdict returns to what it was before. A rate-limited host is
/// paced by the adaptive rate and not paused: each throttled URL waits its own Retry-After.
/// </para>
/// <para>Not thread-safe: the host calls it under its lock.</para>
/// </remarks>
internal sealed class ThrottleEvidence
{
    private readonly TimeSpan _hold;
    private readonly int _witnesses;
    private readonly bool _rateManaged;
    private ThrottleVerdict _beforeOutage;
    private TimeSpan _holdUntil;
    private TimeSpan _checkEndsAt;
    private TimeSpan _witnessTimeout = EvidenceDefaults.MinWitnessTimeout;
    private int _witnessesGranted;
    private int _witnessesAccepted;
    private int _acceptedInCheck;
    private TimeSpan _episodeStart;
    private TimeSpan _measureFrom;
    private bool _grantedInCheck;
    private int _retryWitnessesGranted;
    private TimeSpan _retryCheckEndsAt;
    private bool _confirmed;
    private int _ownWaitRetries;
    private int _throttledAgain;
    private int _throttlesInARow;
    private TimeSpan _lastThrottle = TimeSpan.MinValue;
    private TimeSpan _lastAccept = TimeSpan.MinValue;

    /// <param name="rateManaged">
    /// Whether an adaptive rate paces the host: then a rate-limit verdict lasts until the rate disengages
    /// (<see cref="Forget"/>); otherwise it is forgotten after a quiet period like the others.
    /// </param>
    /// <param name="hold">How long the first throttle holds the host's sends.</param>
    /// <param name="witnesses">How many requests after the hold decide the check.</param>
    public ThrottleEvidence(bool rateManaged, TimeSpan? hold = null, int witnesses = EvidenceDefaults.CheckWitnesses)
    {
        Debug.Assert(witnesses > 0, "A check needs a witness.");
        _rateManaged = rateManaged;
        _hold = hold ?? EvidenceDefaults.CheckHold;
        _witnesses = witnesses;
    }

    /// <summary>Gets what the host's throttles have shown so far.</summary>
    public ThrottleVerdict Verdict { get; private set; }

    /// <summary>
    /// Gets the rate the host accepted while the last check ran, from its first throttle to the answer of its last witness
    /// (at least the hold long). The burst that drew the first throttle is behind it, and the hold leaves some of the
    /// host's rate unused, so this is at most the host's rate: a safe start to grow from. When nobody asked to send for a
    /// while after the hold (every caller waited its own Retry-After, as the handler's do), the time is counted from the
    /// first request sent after that idle time, and only the answers to requests sent since: the idle time says nothing
    /// of the host's rate (counted, it engaged the handler's rate at 2.7/s against a host of 200/s).
    /// </summary>
    public double CheckedAcceptedRate { get; private set; }

    /// <summary>Gets when the check's hold ends (meaningful while <see cref="Verdict"/> is <see cref="ThrottleVerdict.Checking"/>).</summary>
    public TimeSpan HoldUntil => _holdUntil;

    /// <summary>
    /// Whether a request may be granted now; when not, <paramref name="askAgainAt"/> says when to ask again. While a
    /// per-URL verdict is unconfirmed, the first retries sent after their own wait go alone: the rest wait for their
    /// answers, so a host-wide Retry-After is not answered with every retry at once.
    /// </summary>
    /// <param name="now">The registry's time.</param>
    /// <param name="askAgainAt">When the answer may change.</param>
    /// <returns>True unless a check holds the host or waits for its witnesses.</returns>
    /// <param name="afterOwnWait">Whether the request is a retry sent after its URL's own Retry-After.</param>
    /// <param name="oldestInFlight">When the oldest attempt still in flight was granted, if any.</param>
    public bool MayGrant(TimeSpan now, bool afterOwnWait, out TimeSpan askAgainAt, TimeSpan? oldestInFlight = null)
    {
        askAgainAt = now;
        Expire(now);
        if (Verdict == ThrottleVerdict.PerUrl)
        {
            return !afterOwnWait || _confirmed || MayGrantRetryWitness(now, out askAgainAt);
        }

        if (Verdict != ThrottleVerdict.Checking)
        {
            return true;
        }

        if (now < _holdUntil)
        {
            askAgainAt = _holdUntil;
            return false;
        }

        if (_witnessesGranted == 0 && oldestInFlight <= _episodeStart && now < _holdUntil + _witnessTimeout)
        {
            // Requests sent before the hold are still on their way: arriving during it, they take the tokens a bucket
            // refilled, and a witness behind them is throttled though holding helped. The witnesses wait for them.
            askAgainAt = now + EvidenceDefaults.WitnessRecheck;
            return false;
        }

        if (_witnessesGranted > 0 && now >= _checkEndsAt)
        {
            // The witnesses never answered in time: no evidence that holding helps, so nothing is held.
            Conclude(helped: false);
            return true;
        }

        if (afterOwnWait)
        {
            // No witness of the hold (IsWitness): it goes as under a per-URL verdict, the first ones alone.
            return _confirmed || MayGrantRetryWitness(now, out askAgainAt);
        }

        if (_witnessesGranted < _witnesses)
        {
            return true;
        }

        var next = now + EvidenceDefaults.WitnessRecheck;
        askAgainAt = next < _checkEndsAt ? next : _checkEndsAt;
        return false;
    }

    /// <summary>
    /// Counts a granted request: after the hold, the first ones are the check's witnesses, but never a retry sent after its
    /// own wait (<see cref="IsWitness"/>).
    /// </summary>
    /// <param name="now">The registry's time.</param>
    /// <param name="afterOwnWait">Whether the request is a retry sent after its URL's own Retry-After.</param>
    public void OnGranted(TimeSpan now, bool afterOwnWait)
    {
        if (Verdict == ThrottleVerdict.Checking && !_grantedInCheck)
        {
            _grantedInCheck = true;
            if (now > _holdUntil + (_witnessTimeout * 2))
            {
                // Nobody asked since the hold ended (anyone held for the witnesses would have gone after the witness
                // timeout, a late timer allowed for): the host was idle, not slow.
                _measureFrom = now;
                _acceptedInCheck = 0;
            }
        }

        if (Verdict == ThrottleVerdict.Checking && IsWitness(now, afterOwnWait))
        {
            if (_witnessesGranted++ == 0)
            {
                // The witnesses' time starts with the first of them (the hold may have waited for earlier requests).
                _checkEndsAt = now + _witnessTimeout;
            }
        }
        else if (Verdict is ThrottleVerdict.PerUrl or ThrottleVerdict.Checking && afterOwnWait && !_confirmed && _retryWitnessesGranted++ == 0)
        {
            _retryCheckEndsAt = now + _witnessTimeout;
        }
    }

    /// <summary>Takes in a throttle and says what the host does with it.</summary>
    /// <param name="now">When the throttle came.</param>
    /// <param name="grantedAt">When its request was granted.</param>
    /// <param name="afterOwnWait">Whether the request was a retry sent after the Retry-After its URL got before.</param>
    /// <param name="retryAfter">The (capped) wait the server asked for, if any.</param>
    /// <param name="witnessTimeout">How long the check waits for its witnesses (a few round trips).</param>
    /// <param name="ownWaitAtGrant">What the request said when it was granted (<see cref="OnGranted"/>); <paramref name="afterOwnWait"/> when null.</param>
    public ThrottleActions OnThrottled(TimeSpan now, TimeSpan grantedAt, bool afterOwnWait, TimeSpan? retryAfter, TimeSpan witnessTimeout, bool? ownWaitAtGrant = null)
    {
        Expire(now);
        _lastThrottle = now;
        _throttlesInARow++;
        if (afterOwnWait)
        {
            _ownWaitRetries++;
            _throttledAgain++;
        }

        switch (Verdict)
        {
            case ThrottleVerdict.None:
                StartCheck(now, retryAfter, witnessTimeout);
                return ThrottleActions.None;

            case ThrottleVerdict.Checking when IsWitness(grantedAt, ownWaitAtGrant ?? afterOwnWait):
                // A witness was throttled: holding did not help.
                Conclude(helped: false);
                return HostWideAgain(now) ? ActionsOf(Verdict, retryAfter, _rateManaged) : ThrottleActions.None;

            case ThrottleVerdict.Checking or ThrottleVerdict.PerUrl:
                return HostWideAgain(now) ? ActionsOf(Verdict, retryAfter, _rateManaged) : ThrottleActions.None;

            case ThrottleVerdict.RateLimited when _throttlesInARow >= EvidenceDefaults.OutageThrottlesInARow && now - _lastAccept >= EvidenceDefaults.OutageWindow:
                _beforeOutage = ThrottleVerdict.RateLimited;
                Verdict = ThrottleVerdict.Outage;
                return ActionsOf(Verdict, retryAfter, _rateManaged);

            default:
                return ActionsOf(Verdict, retryAfter, _rateManaged);
        }
    }

    /// <summary>Takes in an accepted response; true when it ends a check that shows the host limits its rate (engage the rate).</summary>
    /// <param name="now">When the response came.</param>
    /// <param name="grantedAt">When its request was granted.</param>
    /// <param name="afterOwnWait">Whether the request was a retry sent after its URL's own Retry-After.</param>
    /// <param name="ownWaitAtGrant">What the request said when it was granted (<see cref="OnGranted"/>); <paramref name="afterOwnWait"/> when null.</param>
    public bool OnAccepted(TimeSpan now, TimeSpan grantedAt, bool afterOwnWait, bool? ownWaitAtGrant = null)
    {
        _lastAccept = now;
        _throttlesInARow = 0;
        if (Verdict == ThrottleVerdict.Checking && (grantedAt >= _measureFrom || _measureFrom == _episodeStart))
        {
            _acceptedInCheck++;
        }

        if (afterOwnWait)
        {
            _ownWaitRetries++;
            if (Verdict is ThrottleVerdict.PerUrl or ThrottleVerdict.Checking && _ownWaitRetries - _throttledAgain >= _witnesses)
            {
                // URLs retried after their own wait are served: the Retry-After was theirs. Retries go freely from now.
                _confirmed = true;
            }
        }

        switch (Verdict)
        {
            case ThrottleVerdict.Checking when IsWitness(grantedAt, ownWaitAtGrant ?? afterOwnWait) && ++_witnessesAccepted >= _witnesses:
                Conclude(helped: true);
                CheckedAcceptedRate = _acceptedInCheck / Math.Max((now - _measureFrom).TotalSeconds, _hold.TotalSeconds);
                return true;

            case ThrottleVerdict.Outage:
                // The host serves again: an outage said nothing about its rate, so go back to before it.
                Verdict = _beforeOutage;
                _beforeOutage = ThrottleVerdict.None;
                return false;

            default:
                return false;
        }
    }

    /// <summary>Takes in a failure or a timeout: a witness that neither was accepted nor throttled ends the check, unhelped.</summary>
    /// <param name="grantedAt">When its request was granted.</param>
    /// <param name="ownWaitAtGrant">Whether the request said, when granted, that it was a retry sent after its own wait.</param>
    public void OnOther(TimeSpan grantedAt, bool ownWaitAtGrant = false)
    {
        if (Verdict == ThrottleVerdict.Checking && IsWitness(grantedAt, ownWaitAtGrant))
        {
            Conclude(helped: false);
        }
    }

    /// <summary>Forgets the verdict (the adaptive rate disengaged): the next throttle starts a new check.</summary>
    public void Forget()
    {
        Verdict = ThrottleVerdict.None;
        _beforeOutage = ThrottleVerdict.None;
        _ownWaitRetries = 0;
        _throttledAgain = 0;
        _retryWitnessesGranted = 0;
        _confirmed = false;
    }

    private static ThrottleActions ActionsOf(ThrottleVerdict verdict, TimeSpan? retryAfter, bool rateManaged)
    {
        var pause = retryAfter is not null ? ThrottleActions.PauseHost : ThrottleActions.None;
        return verdict switch
        {
            // The adaptive rate paces a rate-limited host; a pause on top cost a whole Retry-After of the host's capacity
            // each time (simulated, 3,000 URLs at 200/s: 19.5 s with pauses, 16.7 s without, 1% 429s either way).
            ThrottleVerdict.RateLimited => (rateManaged ? ThrottleActions.None : pause) | ThrottleActions.DecreaseRate,
            ThrottleVerdict.Outage => pause,
            _ => ThrottleActions.None,
        };
    }

    private void StartCheck(TimeSpan now, TimeSpan? retryAfter, TimeSpan witnessTimeout)
    {
        var hold = retryAfter is { } asked && asked < _hold ? asked : _hold;
        _witnessTimeout = witnessTimeout > EvidenceDefaults.MinWitnessTimeout ? witnessTimeout : EvidenceDefaults.MinWitnessTimeout;
        _episodeStart = now;
        _measureFrom = now;
        _grantedInCheck = false;
        _retryWitnessesGranted = 0;
        _confirmed = false;
        Verdict = ThrottleVerdict.Checking;
        _holdUntil = now + hold;
        _checkEndsAt = _holdUntil + _witnessTimeout;
        _witnessesGranted = 0;
        _witnessesAccepted = 0;
        _acceptedInCheck = 0;
    }

    /// <summary>
    /// Whether a request is one of the check's witnesses: granted after the hold, and not a retry sent after its own wait.
    /// Served, such a retry says nothing about the hold (its URL's own wait is over, so it is served under per-URL
    /// Retry-After too); when every caller waits its own Retry-After, the retries are the first requests after the hold,
    /// and taken as witnesses they concluded "rate limit" and engaged the rate at what the host accepted over the whole
    /// wait (0.66/s: 200 URLs, 50 callers, 12-24 served in 45 s).
    /// </summary>
    private bool IsWitness(TimeSpan grantedAt, bool ownWaitAtGrant) => grantedAt >= _holdUntil && !ownWaitAtGrant;

    private void Conclude(bool helped) => Verdict = helped ? ThrottleVerdict.RateLimited : ThrottleVerdict.PerUrl;

    private bool MayGrantRetryWitness(TimeSpan now, out TimeSpan askAgainAt)
    {
        askAgainAt = now;
        if (_retryWitnessesGranted < _witnesses)
        {
            return true;
        }

        if (now >= _retryCheckEndsAt)
        {
            // The witnesses never answered in time: no evidence against the URLs' own waits.
            _confirmed = true;
            return true;
        }

        var next = now + EvidenceDefaults.WitnessRecheck;
        askAgainAt = next < _retryCheckEndsAt ? next : _retryCheckEndsAt;
        return false;
    }

    /// <summary>Whether URLs retried after their own wait are throttled again: then the trouble is the host's.</summary>
    private bool HostWideAgain(TimeSpan now)
    {
        if (_throttledAgain < EvidenceDefaults.ThrottledAgainThreshold || _throttledAgain * 2 < _ownWaitRetries)
        {
            return false;
        }

        // Accepted since the throttles began: some requests pass, as under a rate limit; none: an outage.
        bool serving = _lastAccept > _episodeStart && now - _lastAccept < EvidenceDefaults.OutageWindow;
        _beforeOutage = ThrottleVerdict.None;
        Verdict = serving ? ThrottleVerdict.RateLimited : ThrottleVerdict.Outage;
        return true;
    }

    private void Expire(TimeSpan now)
    {
        if (Verdict is ThrottleVerdict.None or ThrottleVerdict.Checking || (Verdict == ThrottleVerdict.RateLimited && _rateManaged))
        {
            return;
        }

        if (now - _lastThrottle >= EvidenceDefaults.QuietPeriod)
        {
            Forget();
        }
    }
}
