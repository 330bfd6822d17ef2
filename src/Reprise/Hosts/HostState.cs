using System.Diagnostics;
using System.Threading.RateLimiting;
using Reprise.Hosts.Evidence;

namespace Reprise.Hosts;

/// <summary>
/// One host's shared view: the gate order and the lock over the gates, each its own part: the pause
/// (<see cref="HostPause"/>), the circuit (<see cref="CircuitController"/>), the retry throttle (<see cref="RetryThrottle"/>),
/// the concurrency limit (<see cref="AdaptiveConcurrencyLimiter"/>) and the rate (<see cref="AdaptiveRateLimiter"/>).
/// Every request to the host passes the gates in that order.
/// </summary>
/// <remarks>
/// One lock guards the pause, the circuit, the retry throttle and the round-trip estimate, which have no lock of their
/// own. The limiters have their own locks; they are taken under this one or alone (waiting in line, or by a caller of
/// <see cref="HostRegistry.GetConcurrencyLimiter"/>), and a limiter never takes this lock nor calls back into the host
/// state, so the order is always this lock, then a limiter's. Observers are called under this lock. Nothing waits while
/// holding a lock; waiters are woken by timers of the registry's <see cref="TimeProvider"/> or by <see cref="_changed"/>,
/// a signal completed when a probe ends or the host accepts.
/// </remarks>
internal sealed partial class HostState
{
    private readonly Lock _lock = new();
    private readonly HostContext _context;
    private readonly HostCoordinationOptions _options;
    private readonly RetryThrottle? _throttle;
    private readonly AdaptiveConcurrencyLimiter _concurrency;
    private readonly AdaptiveRateLimiter? _rate;
    private readonly TokenBucketRateLimiter? _fixedRate;
    private readonly TimeSpan _fixedRateInterval;
    private readonly HostPause _pause;
    private readonly CircuitController _circuit;
    private readonly RoundTripEstimate _roundTrip = new();
    private readonly OverloadDetector _overload = new();
    private readonly HostEvidence _evidence;

    private readonly HostSlotWaiters _slotWaiters = new();
    private TaskCompletionSource? _changed;
    private long _grantSequence;
    private int _waiting;
    private int _parked;
    private long _lastSeenTicks;

    public HostState(string key, HostContext context)
    {
        Key = key;
        _context = context;
        _options = context.Options;
        _pause = new HostPause(_options.PauseEnabled, _options.MaxPause);
        _circuit = CircuitController.For(_options, OnCircuitChanged);
        _throttle = RetryThrottle.For(_options);
        _concurrency = AdaptiveConcurrencyLimiter.For(_options, context.TimeProvider);
        _rate = _options.AdaptiveRateEnabled ? new AdaptiveRateLimiter(context.Clock) : null;
        _fixedRate = FixedRate.For(_options, out _fixedRateInterval);
        _evidence = new HostEvidence(_options.CircuitBreakerFailureThreshold, rateManaged: _rate is not null, checkThrottles: _options.PauseEnabled || _rate is not null);
        _lastSeenTicks = context.Now.Ticks;
    }

    private enum Gate
    {
        Pass,
        Probe,
        Paused,
        Held,
        CircuitOpen,
        Probing,
        RetryThrottled,
        Limited,
        SharedRate,
    }

    /// <summary>Gets the host as scheme://host:port.</summary>
    public string Key { get; }

    /// <summary>Gets the host's adaptive in-flight limiter.</summary>
    public AdaptiveConcurrencyLimiter ConcurrencyLimiter => _concurrency;

    /// <summary>Gets the host's adaptive send-rate limiter, or null when adaptive rate is off.</summary>
    public AdaptiveRateLimiter? RateLimiter => _rate;

    /// <summary>Gets the host's fixed rate limiter, or null when none is configured.</summary>
    public TokenBucketRateLimiter? FixedRateLimiter => _fixedRate;

    /// <summary>Gets when the host was last asked for, on the registry's clock.</summary>
    internal TimeSpan LastSeen => TimeSpan.FromTicks(Volatile.Read(ref _lastSeenTicks));

    /// <summary>
    /// Gets whether requests are in flight or waiting (in this state's wait, or parked by a bulk run for this host):
    /// such a state is evicted only as a last resort.
    /// </summary>
    internal bool IsBusy => _concurrency.InFlight > 0 || _inFlight.Released > 0 || Volatile.Read(ref _waiting) > 0 || Volatile.Read(ref _parked) > 0 || _slotWaiters.Count > 0 || _circuit.State == HostCircuitState.HalfOpen;

    internal void Touch(TimeSpan now) => Volatile.Write(ref _lastSeenTicks, now.Ticks);

    /// <summary>Asks for a permit without waiting (the bulk engine's scheduler parks refused work).</summary>
    public HostPermit TryAcquire(bool isRetry) => TryAcquire(isRetry, retryAlreadyCounted: false);

    /// <summary>Asks for a permit without waiting.</summary>
    /// <param name="isRetry">Whether the attempt is a retry (only retries are throttled).</param>
    /// <param name="retryAlreadyCounted">
    /// True when asking again for a retry that was refused with "retry budget exhausted", so that it is counted once.
    /// </param>
    /// <param name="history">What the request tells the host about its own attempts (none: every outcome is the host's).</param>
    /// <param name="lastTry">Whether the request's wait for the open circuit is spent (<see cref="CircuitWait.LastTryDue"/>).</param>
    public HostPermit TryAcquire(bool isRetry, bool retryAlreadyCounted, UrlHistory history = default, bool lastTry = false)
    {
        var check = new RetryCheck { Counted = retryAlreadyCounted, LastTry = lastTry };
        var now = _context.Now;
        HostPermit? permit;
        Gate gate;
        TimeSpan wait;
        HostDenialReason limitReason;
        lock (_lock)
        {
            permit = TryGrantLocked(now, isRetry, history, ref check, out gate, out wait, out limitReason);
        }

        return permit ?? gate switch
        {
            Gate.Paused => HostPermit.Refuse(HostDenialReason.HostPaused, wait + PauseSpread(_pause.Length)),
            Gate.Held => HostPermit.Refuse(HostDenialReason.HostPaused, wait),
            Gate.CircuitOpen => HostPermit.Refuse(HostDenialReason.CircuitOpen, wait + PauseSpread(_circuit.OpenInterval)),
            Gate.Probing => HostPermit.Refuse(HostDenialReason.CircuitOpen, _options.CircuitBreakerProbeInterval),
            // Asked again after about a round trip, by when the host has answered others, as the handler's waiter asks
            // again at the host's next acceptance: each ask draws again, and the retry is counted once. (Parked for the
            // whole bucket, a retry on an overloaded host waited 6 s for a draw that passes half the time.)
            Gate.RetryThrottled => HostPermit.Refuse(HostDenialReason.RetryBudgetExhausted, wait < _roundTrip.Smoothed ? wait : _roundTrip.Smoothed),
            _ => HostPermit.Refuse(limitReason == HostDenialReason.None ? HostDenialReason.ConcurrencyLimit : limitReason, wait),
        };
    }

    /// <summary>Takes in what one attempt told us about the host, at <paramref name="completedAt"/> (the registry's time) or now.</summary>
    /// <param name="permit">The attempt's permit.</param>
    /// <param name="signal">What the attempt told us.</param>
    /// <param name="serverRetryAfter">The wait the server asked for, if any.</param>
    /// <param name="completedAt">When the attempt ended, on the registry's clock; now when null.</param>
    /// <param name="roundTrip">The measured round trip (send to response headers); null for timeouts, errors and cancellations, which are not sampled.</param>
    internal void OnCompleted(HostPermit permit, HostSignal signal, TimeSpan? serverRetryAfter, TimeSpan? completedAt = null, TimeSpan? roundTrip = null)
    {
        var now = completedAt ?? _context.Now;
        var retryAfter = _pause.Cap(serverRetryAfter);
        TaskCompletionSource? wake;
        HostPermit? hung = null;
        lock (_lock)
        {
            var shared = (_pause.Until, _circuit.NextProbeAt);
            if (permit.HoldsSlot)
            {
                _inFlight.OnEnded(permit, accepted: signal == HostSignal.Accepted);
                hung = TakeHungLocked(now, wanted: _concurrency.InFlight >= _concurrency.Limit);
            }

            if (roundTrip is { } sample)
            {
                _roundTrip.Sample(sample);
            }

            // The evidence decides what the outcome says about the host rather than about its URL (Hosts/Evidence).
            var decision = _evidence.OnCompleted(permit.History.Report(signal, retryAfter, permit.GrantedAt, now, permit.IsProbe));
            if (signal != HostSignal.Cancelled)
            {
                // A throttle the evidence takes as the URL's own (its own Retry-After, nothing for the host to do) is the
                // host answering as designed, not a rejection: it must not hold back other URLs' retries.
                bool ownThrottle = signal == HostSignal.Throttled && decision.Throttle == ThrottleActions.None && permit.History.Key != 0;
                _throttle?.Record(now, addRequest: !permit.CountedAsRequest, accepted: signal == HostSignal.Accepted || ownThrottle);
            }
            // An attempt granted before this one and still in flight may yet be accepted, which ends the run of failures: a
            // host that sheds load at the door refuses faster than it serves. One in flight as long as a hung one is not
            // waited for.
            bool open = decision.OpenCircuit && !_inFlight.HasPendingOlderThan(permit.Sequence, now, HangEvidence.HungAfter(_evidence.UsualLatency));
            if (_circuit.OnOutcome(now, permit.IsProbe, signal, retryAfter, open, decision.Probe == ProbeVerdict.Explained))
            {
                _rate?.PauseUntil(now, _circuit.NextProbeAt);
            }

            bool pauses = (decision.Throttle & ThrottleActions.PauseHost) != 0;
            if (pauses && retryAfter is { } pause && _pause.Extend(now, pause))
            {
                _rate?.PauseUntil(now, _pause.Until);
                _context.Observer?.OnPaused(Key, pause);
            }

            bool rateThrottle = (decision.Throttle & ThrottleActions.DecreaseRate) != 0;
            // A host that limits its rate is paced by the adaptive rate: cutting its concurrency too only starves it.
            bool decrease = _overload.ShouldDecrease((rateThrottle && _rate is null) || decision.CutConcurrency, permit.Sequence, _grantSequence);
            if (decrease)
            {
                _concurrency.OnOverload();
            }
            else if (signal == HostSignal.Accepted)
            {
                _concurrency.OnSuccess();
            }

            if (signal != HostSignal.Cancelled && _rate is not null)
            {
                // With other processes sharing the host's rate, this process's measurements are scaled to the host's whole rates.
                double scale = _options.SharedState?.GetSendRateFactor(Key) ?? 1;
                if (decision.EngageRate is { } checkedRate)
                {
                    // A check that showed the host limits its rate engages the rate now, from what the host accepted meanwhile.
                    _rate.Engage(now, checkedRate * Math.Max(1, scale));
                }
                else
                {
                    _rate.OnResponse(now, signal == HostSignal.Throttled, rateThrottle, paused: pauses && retryAfter is not null && _options.PauseEnabled, permit.GrantedAt, scale);
                }

                if (_rate.DisengageWhenQuiet(now))
                {
                    _evidence.ForgetThrottles();
                }
            }

            ReportSharedLocked(signal, shared);

            // A probe's outcome and an accepted request may let waiters through.
            wake = permit.IsProbe || signal == HostSignal.Accepted ? TakeChangedLocked() : null;
        }

        wake?.TrySetResult();
        ReleaseHungSlots(hung);
    }

    internal HostSnapshot GetSnapshot()
    {
        var now = _context.Now;
        lock (_lock)
        {
            TimeSpan? pausedUntil = _pause.IsPaused(now, out _) ? _pause.Until : null;
            if (_circuit.State == HostCircuitState.Open && _circuit.NextProbeAt > now && (pausedUntil is null || _circuit.NextProbeAt > pausedUntil))
            {
                pausedUntil = _circuit.NextProbeAt;
            }

            return new HostSnapshot(
                Key,
                pausedUntil is { } until ? _context.ToUtc(until) : null,
                _circuit.State,
                _throttle?.RejectProbability(now) ?? 0,
                _throttle?.Requests ?? 0,
                _throttle?.Accepts ?? 0,
                _concurrency.Limit,
                _concurrency.InFlight,
                Volatile.Read(ref _waiting),
                _rate?.CurrentRate);
        }
    }

    /// <summary>Runs the gates in order; grants a permit when all pass and the limits have room right now.</summary>
    private HostPermit? TryGrantLocked(
        TimeSpan now, bool isRetry, in UrlHistory history, ref RetryCheck check, out Gate gate, out TimeSpan wait, out HostDenialReason limitReason)
    {
        limitReason = HostDenialReason.None;
        if (_pause.IsPaused(now, out wait))
        {
            gate = Gate.Paused;
            return null;
        }

        if (!_evidence.MayGrant(now, history.AfterOwnWait, out var askAgainAt, _inFlight.Oldest?.GrantedAt))
        {
            // A throttle check holds the host (or retries after their own wait) for a moment: see ThrottleEvidence.
            gate = Gate.Held;
            wait = askAgainAt - now;
            return null;
        }

        if (SharedRefusesLocked(out gate, out wait))
        {
            return null;
        }

        switch (_circuit.Check(now, _evidence.MayProbe(history), out wait))
        {
            case CircuitCheck.Probe:
                // The single probe bypasses the limits: it is one request to a host nobody else is sending to.
                gate = Gate.Probe;
                _evidence.OnGranted(now, history.AfterOwnWait);
                return HostPermit.Grant(this, isProbe: true, holdsSlot: false, check.Counted, ++_grantSequence, now, history, check.LastTry);

            case CircuitCheck.Open:
                gate = Gate.CircuitOpen;
                return null;

            case CircuitCheck.Probing:
                gate = Gate.Probing;
                return null;
        }

        if (isRetry && _throttle is not null && !check.Passed && HoldsRetryBackLocked(now, ref check))
        {
            wait = _throttle.BucketLength;
            gate = Gate.RetryThrottled;
            return null;
        }

        gate = Gate.Limited;
        if (!TryTakeLimitsLocked(now, out limitReason, out wait))
        {
            return null;
        }

        if (!TakeSharedTokenLocked(out wait))
        {
            _concurrency.Exit();
            gate = Gate.SharedRate;
            limitReason = HostDenialReason.RateLimit;
            return null;
        }

        gate = Gate.Pass;
        _evidence.OnGranted(now, history.AfterOwnWait);
        return GrantSlotLocked(now, check.Counted, history);
    }

    /// <summary>Draws whether the retry throttle holds a retry back; a held-back retry is counted once, a passed one never drawn again.</summary>
    private bool HoldsRetryBackLocked(TimeSpan now, ref RetryCheck check)
    {
        Debug.Assert(_throttle is not null, "Only called with a retry throttle.");
        if (!_throttle.HoldsBack(now, _context.Random, SharedRetryCountsLocked()))
        {
            check.Passed = true;
            return false;
        }

        if (!check.Counted)
        {
            _context.Observer?.OnRetryThrottled(Key);
            // SRE book: requests the client itself rejected count as requests, which keeps the ratio honest.
            _throttle.Record(now, addRequest: true, accepted: false);
            check.Counted = true;
        }

        return true;
    }

    /// <summary>Takes a concurrency slot and the rate tokens, or none of them.</summary>
    private bool TryTakeLimitsLocked(TimeSpan now, out HostDenialReason limitReason, out TimeSpan wait)
    {
        limitReason = HostDenialReason.None;
        wait = TimeSpan.Zero;
        if (!_concurrency.TryEnter())
        {
            WatchForHungLocked(now);
            limitReason = HostDenialReason.ConcurrencyLimit;
            wait = _roundTrip.SlotWait(_concurrency.Limit);
            return false;
        }

        if (_rate is not null && !_rate.TryTake(now, out wait))
        {
            _concurrency.Exit();
            limitReason = HostDenialReason.RateLimit;
            return false;
        }

        if (_fixedRate is not null && !TryTakeFixedRate())
        {
            _concurrency.Exit();
            limitReason = HostDenialReason.RateLimit;
            wait = _fixedRateInterval;
            return false;
        }

        return true;
    }

    private bool TryTakeFixedRate()
    {
        Debug.Assert(_fixedRate is not null, "Only called with a fixed rate.");
        _fixedRate.TryReplenish();
        using var lease = _fixedRate.AttemptAcquire();
        return lease.IsAcquired;
    }

    private void OnCircuitChanged(HostCircuitState from, HostCircuitState to) => _context.Observer?.OnCircuitChanged(Key, from, to);

    private TimeSpan PauseSpread(TimeSpan length) => HostPause.Spread(length, _options.PauseReleaseSpread, _context.Random());

    /// <summary>
    /// Where a request stands: with the retry throttle (counted once when held back, not drawn again once passed), and
    /// whether its wait for the open circuit is spent, so that a probe it is granted is its last try.
    /// </summary>
    private struct RetryCheck
    {
        public bool Counted;
        public bool Passed;
        public bool LastTry;
    }
}
