using System.Diagnostics;
using System.Threading.RateLimiting;

namespace Reprise.Hosts;

/// <summary>
/// One host's shared view: pause, retry throttle, circuit breaker and adaptive limits.
/// Every request to the host passes the gates in this order: pause, circuit, retry throttle, concurrency, rate.
/// </summary>
/// <remarks>
/// One lock guards the gates. The limiters have their own locks and are only ever taken inside this one, never the
/// other way round. Nothing waits while holding a lock; waiters are woken by timers of the registry's
/// <see cref="TimeProvider"/> or by <see cref="_changed"/>, a signal completed when a probe ends or the host accepts.
/// </remarks>
internal sealed class HostState
{
    private readonly Lock _lock = new();
    private readonly HostContext _context;
    private readonly HostCoordinationOptions _options;
    private readonly RetryThrottle? _throttle;
    private readonly AdaptiveConcurrencyLimiter _concurrency;
    private readonly AdaptiveRateLimiter? _rate;
    private readonly TokenBucketRateLimiter? _fixedRate;
    private readonly TimeSpan _fixedRateInterval;

    // Shared pause from a server's Retry-After.
    private TimeSpan _pausedUntil;
    private TimeSpan _pauseLength;

    // Circuit breaker. HalfOpen means the single probe is in flight.
    private HostCircuitState _circuit;
    private int _consecutiveFailures;
    private int _failedProbes;
    private TimeSpan _nextProbeAt;
    private TimeSpan _openInterval;

    private readonly HostSlotWaiters _slotWaiters = new();
    private TaskCompletionSource? _changed;
    private long _grantSequence;
    private long _lastDecreaseSequence;
    private TimeSpan _smoothedRoundTrip = TimeSpan.FromMilliseconds(100);
    private int _waiting;
    private int _parked;
    private long _lastSeenTicks;

    public HostState(string key, HostContext context)
    {
        Key = key;
        _context = context;
        _options = context.Options;
        if (_options.RetryThrottlingEnabled)
        {
            _throttle = new RetryThrottle(
                _options.RetryThrottlingWindow,
                HostCoordinationDefaults.RetryThrottlingBuckets,
                _options.RetryThrottlingK,
                _options.RetryThrottlingFreeRequests);
        }

        _concurrency = new AdaptiveConcurrencyLimiter(
            Math.Min(_options.MinConcurrency, _options.MaxConcurrency),
            _options.MaxConcurrency,
            _options.AdaptiveConcurrencyEnabled,
            context.TimeProvider);

        if (_options.AdaptiveRateEnabled)
        {
            _rate = new AdaptiveRateLimiter(context.TimeProvider, context.Origin);
        }

        if (_options.RateLimit is { } rate)
        {
            // Replenished on demand rather than by the limiter's own timer, so that an evicted host leaves no timer behind.
            _fixedRateInterval = TimeSpan.FromSeconds(1 / rate);
            _fixedRate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = _options.RateLimitBurst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = _fixedRateInterval,
                AutoReplenishment = false,
                QueueLimit = 0,
            });
        }

        _lastSeenTicks = context.Now.Ticks;
    }

    private enum Gate
    {
        Pass,
        Probe,
        Paused,
        CircuitOpen,
        Probing,
        RetryThrottled,
        Limited,
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
    internal bool IsBusy => _concurrency.InFlight > 0 || Volatile.Read(ref _waiting) > 0 || Volatile.Read(ref _parked) > 0 || _slotWaiters.Count > 0 || _circuit == HostCircuitState.HalfOpen;

    internal void Touch(TimeSpan now) => Volatile.Write(ref _lastSeenTicks, now.Ticks);

    /// <summary>Asks for a permit without waiting (the bulk engine's scheduler parks refused work).</summary>
    public HostPermit TryAcquire(bool isRetry) => TryAcquire(isRetry, retryAlreadyCounted: false);

    /// <summary>Asks for a permit without waiting.</summary>
    /// <param name="isRetry">Whether the attempt is a retry (only retries are throttled).</param>
    /// <param name="retryAlreadyCounted">
    /// True when asking again for a retry that was refused with "retry budget exhausted", so that it is counted once.
    /// </param>
    public HostPermit TryAcquire(bool isRetry, bool retryAlreadyCounted)
    {
        var check = new RetryCheck { Counted = retryAlreadyCounted };
        var now = _context.Now;
        HostPermit? permit;
        Gate gate;
        TimeSpan wait;
        HostDenialReason limitReason;
        lock (_lock)
        {
            permit = TryGrantLocked(now, isRetry, ref check, out gate, out wait, out limitReason);
        }

        return permit ?? gate switch
        {
            Gate.Paused => HostPermit.Refuse(HostDenialReason.HostPaused, wait + PauseSpread(_pauseLength)),
            Gate.CircuitOpen => HostPermit.Refuse(HostDenialReason.CircuitOpen, wait + PauseSpread(_openInterval)),
            Gate.Probing => HostPermit.Refuse(HostDenialReason.CircuitOpen, _options.CircuitBreakerProbeInterval),
            Gate.RetryThrottled => HostPermit.Refuse(HostDenialReason.RetryBudgetExhausted, wait),
            _ => HostPermit.Refuse(limitReason == HostDenialReason.None ? HostDenialReason.ConcurrencyLimit : limitReason, wait),
        };
    }

    /// <summary>Waits until an attempt may be sent; refuses only where the options say fail fast.</summary>
    /// <param name="isRetry">Whether the attempt is a retry (only retries are throttled).</param>
    /// <param name="cancellationToken">The caller's cancellation, which carries its deadline.</param>
    public ValueTask<HostPermit> AcquireAsync(bool isRetry, CancellationToken cancellationToken)
        => AcquireAsync(isRetry, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Waits until an attempt may be sent, but starts no known wait (a pause, an open circuit) that would last longer
    /// than <paramref name="maxWait"/>: such a wait is refused at once with <see cref="HostDenialReason.Deadline"/>.
    /// </summary>
    public ValueTask<HostPermit> AcquireAsync(bool isRetry, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var check = default(RetryCheck);
        var now = _context.Now;
        HostPermit? permit;
        Gate gate;
        TimeSpan wait;
        Task? changed;
        lock (_lock)
        {
            permit = TryGrantLocked(now, isRetry, ref check, out gate, out wait, out _);
            changed = permit is null && gate is Gate.Probing or Gate.RetryThrottled ? ChangedLocked() : null;
        }

        return permit is not null
            ? ValueTask.FromResult(permit)
            : AcquireSlowAsync(isRetry, check, gate, wait, changed, maxWait == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : now + maxWait, cancellationToken);
    }

    /// <summary>Takes in what one attempt told us about the host, at <paramref name="completedAt"/> (the registry's time) or now.</summary>
    internal void OnCompleted(HostPermit permit, HostSignal signal, TimeSpan? serverRetryAfter, TimeSpan? completedAt = null, TimeSpan? roundTrip = null)
    {
        var now = completedAt ?? _context.Now;
        TaskCompletionSource? wake = null;
        var retryAfter = serverRetryAfter is { } ra && ra > TimeSpan.Zero
            ? (ra > _options.MaxPause ? _options.MaxPause : ra)
            : (TimeSpan?)null;

        lock (_lock)
        {
            if (signal != HostSignal.Cancelled)
            {
                _throttle?.Record(now, addRequest: !permit.CountedAsRequest, accepted: signal == HostSignal.Accepted);
                if (roundTrip is { } sample)
                {
                    _smoothedRoundTrip = TimeSpan.FromTicks(((_smoothedRoundTrip.Ticks * 7) + sample.Ticks) / 8);
                }
            }

            if (permit.IsProbe)
            {
                OnProbeCompletedLocked(now, signal, retryAfter);
                wake = TakeChangedLocked();
            }
            else if (_options.CircuitBreakerEnabled && _circuit == HostCircuitState.Closed)
            {
                if (signal == HostSignal.Accepted)
                {
                    _consecutiveFailures = 0;
                }
                else if (signal is HostSignal.Failed or HostSignal.TimedOut
                    && ++_consecutiveFailures >= _options.CircuitBreakerFailureThreshold)
                {
                    OpenLocked(now, retryAfter ?? _options.CircuitBreakerProbeInterval);
                }
            }

            if (signal == HostSignal.Throttled && retryAfter is { } pause && _options.PauseEnabled)
            {
                PauseLocked(now, pause);
            }

            // React to overload once per round trip: only a request granted after the last decrease may decrease again,
            // as TCP reduces its window once per loss event (RFC 5681 section 3.2), not once per lost segment.
            bool overload = signal is HostSignal.Throttled or HostSignal.TimedOut;
            bool decrease = overload && permit.Sequence > _lastDecreaseSequence;
            if (decrease)
            {
                _lastDecreaseSequence = _grantSequence;
                _concurrency.OnOverload();
            }
            else if (signal == HostSignal.Accepted)
            {
                _concurrency.OnSuccess();
            }

            if (signal != HostSignal.Cancelled)
            {
                _rate?.OnResponse(
                    now,
                    signal == HostSignal.Throttled,
                    decrease && signal == HostSignal.Throttled,
                    paused: retryAfter is not null && _options.PauseEnabled);
            }


            if (signal == HostSignal.Accepted)
            {
                wake ??= TakeChangedLocked();
            }
        }

        wake?.TrySetResult();
    }

    /// <summary>Frees a concurrency slot and hands it over at once to the first waiter for one.</summary>
    internal void ReleaseSlot()
    {
        _concurrency.Exit();
        _slotWaiters.WakeNext();
    }

    /// <summary>
    /// Wakes <paramref name="waiter"/> once, when a concurrency slot frees. False when the host has room already (the
    /// slot freed before the waiter came): the caller asks again instead of waiting.
    /// </summary>
    internal bool TryWaitForSlot(IHostSlotWaiter waiter)
    {
        _slotWaiters.Add(waiter);

        // A full fence between registering and looking for room (HostSlotWaiters' remarks).
        Interlocked.MemoryBarrier();
        return _concurrency.InFlight >= _concurrency.Limit || !_slotWaiters.TryRemove(waiter);
    }

    /// <summary>Takes back a wait of <see cref="TryWaitForSlot"/>; false when the waiter was already woken.</summary>
    internal bool CancelSlotWait(IHostSlotWaiter waiter) => _slotWaiters.TryRemove(waiter);

    /// <summary>Counts a request parked for this host elsewhere (a bulk run's delay queue), so that it is busy.</summary>
    internal void EnterParked() => Interlocked.Increment(ref _parked);

    /// <summary>Ends what <see cref="EnterParked"/> began.</summary>
    internal void ExitParked() => Interlocked.Decrement(ref _parked);

    internal HostSnapshot GetSnapshot()
    {
        var now = _context.Now;
        lock (_lock)
        {
            TimeSpan? pausedUntil = null;
            if (_options.PauseEnabled && _pausedUntil > now)
            {
                pausedUntil = _pausedUntil;
            }

            if (_circuit == HostCircuitState.Open && _nextProbeAt > now && (pausedUntil is null || _nextProbeAt > pausedUntil))
            {
                pausedUntil = _nextProbeAt;
            }

            return new HostSnapshot(
                Key,
                pausedUntil is { } until ? _context.ToUtc(until) : null,
                _circuit,
                _throttle?.RejectProbability(now) ?? 0,
                _throttle?.Requests ?? 0,
                _throttle?.Accepts ?? 0,
                _concurrency.Limit,
                _concurrency.InFlight,
                Volatile.Read(ref _waiting),
                _rate?.CurrentRate);
        }
    }

    private async ValueTask<HostPermit> AcquireSlowAsync(
        bool isRetry, RetryCheck check, Gate gate, TimeSpan wait, Task? changed, TimeSpan giveUpAt, CancellationToken cancellationToken)
    {
        var time = _context.TimeProvider;
        Interlocked.Increment(ref _waiting);
        try
        {
            while (true)
            {
                switch (gate)
                {
                    case Gate.Paused when _context.Now + wait > giveUpAt:
                    case Gate.CircuitOpen when _context.Now + wait > giveUpAt && !_options.FailFastWhenCircuitOpen:
                        // No wait is started that would end past the caller's deadline.
                        return HostPermit.Refuse(HostDenialReason.Deadline, wait);

                    case Gate.Paused:
                        await Task.Delay(wait + PauseSpread(_pauseLength), time, cancellationToken).ConfigureAwait(false);
                        break;

                    case Gate.CircuitOpen:
                        if (_options.FailFastWhenCircuitOpen)
                        {
                            return HostPermit.Refuse(HostDenialReason.CircuitOpen, wait);
                        }

                        await Task.Delay(wait + PauseSpread(_openInterval), time, cancellationToken).ConfigureAwait(false);
                        break;

                    case Gate.Probing:
                        if (_options.FailFastWhenCircuitOpen)
                        {
                            return HostPermit.Refuse(HostDenialReason.CircuitOpen, _options.CircuitBreakerProbeInterval);
                        }

                        await WaitForChangeAsync(changed!, wait, cancellationToken).ConfigureAwait(false);

                        // When the probe closes the circuit everyone who waited for it is released spread out too,
                        // before the re-check below could grant them all at once.
                        await Task.Delay(PauseSpread(_openInterval), time, cancellationToken).ConfigureAwait(false);
                        break;

                    case Gate.RetryThrottled:
                        if (_options.FailFastWhenRetryThrottled)
                        {
                            return HostPermit.Refuse(HostDenialReason.RetryBudgetExhausted, wait);
                        }

                        // Deferred, not dropped: ask again when the host accepts a request or the window moves on.
                        await WaitForChangeAsync(changed!, wait, cancellationToken).ConfigureAwait(false);
                        break;

                    default:
                        var permit = await WaitForLimitsAsync(check, cancellationToken).ConfigureAwait(false);
                        if (permit is not null)
                        {
                            return permit;
                        }

                        break;
                }

                var now = _context.Now;
                lock (_lock)
                {
                    var granted = TryGrantLocked(now, isRetry, ref check, out gate, out wait, out _);
                    if (granted is not null)
                    {
                        return granted;
                    }

                    changed = gate is Gate.Probing or Gate.RetryThrottled ? ChangedLocked() : null;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Waits in line for a concurrency slot and a rate token, then checks the gates again.</summary>
    private async ValueTask<HostPermit?> WaitForLimitsAsync(RetryCheck check, CancellationToken cancellationToken)
    {
        var time = _context.TimeProvider;
        await _concurrency.EnterAsync(1, cancellationToken).ConfigureAwait(false);
        bool holdsSlot = true;
        try
        {
            if (_rate is not null)
            {
                await _rate.WaitForTokenAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_fixedRate is not null)
            {
                while (!TryTakeFixedRate())
                {
                    await Task.Delay(_fixedRateInterval, time, cancellationToken).ConfigureAwait(false);
                }
            }

            var now = _context.Now;
            lock (_lock)
            {
                // A pause or an open circuit may have begun while we waited in line.
                if ((_options.PauseEnabled && now < _pausedUntil) || _circuit != HostCircuitState.Closed)
                {
                    return null;
                }

                holdsSlot = false;
                return HostPermit.Grant(this, isProbe: false, holdsSlot: true, check.Counted, ++_grantSequence, now);
            }
        }
        finally
        {
            if (holdsSlot)
            {
                ReleaseSlot();
            }
        }
    }

    private async Task WaitForChangeAsync(Task changed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!changed.IsCompleted)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, _context.TimeProvider, cts.Token);
            await Task.WhenAny(changed, delay).ConfigureAwait(false);
            await cts.CancelAsync().ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Runs the gates; grants a permit when all pass and the limits have room right now.</summary>
    private HostPermit? TryGrantLocked(TimeSpan now, bool isRetry, ref RetryCheck check, out Gate gate, out TimeSpan wait, out HostDenialReason limitReason)
    {
        limitReason = HostDenialReason.None;
        wait = TimeSpan.Zero;
        if (_options.PauseEnabled && now < _pausedUntil)
        {
            wait = _pausedUntil - now;
            gate = Gate.Paused;
            return null;
        }

        if (_circuit == HostCircuitState.Open && now >= _nextProbeAt)
        {
            // The single probe bypasses the limits: it is one request to a host nobody else is sending to.
            TransitionLocked(HostCircuitState.HalfOpen);
            gate = Gate.Probe;
            return HostPermit.Grant(this, isProbe: true, holdsSlot: false, check.Counted, ++_grantSequence, now);
        }

        if (_circuit == HostCircuitState.Open)
        {
            wait = _nextProbeAt - now;
            gate = Gate.CircuitOpen;
            return null;
        }

        if (_circuit == HostCircuitState.HalfOpen)
        {
            // Woken by the probe's outcome; the timeout only guards against a probe that is never reported.
            wait = _options.CircuitBreakerMaxProbeInterval;
            gate = Gate.Probing;
            return null;
        }

        if (isRetry && _throttle is not null && !check.Passed)
        {
            double reject = _throttle.RejectProbability(now);
            if (reject > 0 && _context.Random() < reject)
            {
                if (!check.Counted)
                {
                    _context.Observer?.OnRetryThrottled(Key);
                    // SRE book: requests the client itself rejected count as requests, which keeps the ratio honest.
                    _throttle.Record(now, addRequest: true, accepted: false);
                    check.Counted = true;
                }

                wait = _throttle.BucketLength;
                gate = Gate.RetryThrottled;
                return null;
            }

            check.Passed = true;
        }

        gate = Gate.Limited;
        if (!_concurrency.TryEnter())
        {
            limitReason = HostDenialReason.ConcurrencyLimit;
            wait = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, _smoothedRoundTrip.Ticks / Math.Max(1, _concurrency.Limit)));
            return null;
        }

        if (_rate is not null && !_rate.TryTake(now, out wait))
        {
            _concurrency.Exit();
            limitReason = HostDenialReason.RateLimit;
            return null;
        }

        if (_fixedRate is not null && !TryTakeFixedRate())
        {
            _concurrency.Exit();
            limitReason = HostDenialReason.RateLimit;
            wait = _fixedRateInterval;
            return null;
        }

        gate = Gate.Pass;
        return HostPermit.Grant(this, isProbe: false, holdsSlot: true, check.Counted, ++_grantSequence, now);
    }

    private bool TryTakeFixedRate()
    {
        Debug.Assert(_fixedRate is not null, "Only called with a fixed rate.");
        _fixedRate.TryReplenish();
        using var lease = _fixedRate.AttemptAcquire();
        return lease.IsAcquired;
    }

    private void OnProbeCompletedLocked(TimeSpan now, HostSignal signal, TimeSpan? retryAfter)
    {
        Debug.Assert(_circuit == HostCircuitState.HalfOpen, "Only the probe of a half-open circuit is a probe.");
        switch (signal)
        {
            case HostSignal.Accepted:
                TransitionLocked(HostCircuitState.Closed);
                _consecutiveFailures = 0;
                _failedProbes = 0;
                break;

            case HostSignal.Cancelled:
                // Says nothing about the host: the next waiter probes at once.
                TransitionLocked(HostCircuitState.Open);
                _nextProbeAt = now;
                break;

            default:
                _failedProbes++;
                double backoff = _options.CircuitBreakerProbeInterval.Ticks * Math.Pow(2, Math.Min(_failedProbes, 30));
                var interval = retryAfter ?? TimeSpan.FromTicks((long)Math.Min(backoff, _options.CircuitBreakerMaxProbeInterval.Ticks));
                OpenLocked(now, interval);
                break;
        }
    }

    private void OpenLocked(TimeSpan now, TimeSpan interval)
    {
        if (interval > _options.MaxPause)
        {
            interval = _options.MaxPause;
        }

        TransitionLocked(HostCircuitState.Open);
        _openInterval = interval;
        _nextProbeAt = now + interval;
        _rate?.PauseUntil(now, _nextProbeAt);
    }

    private void PauseLocked(TimeSpan now, TimeSpan pause)
    {
        var until = now + pause;
        if (until > _pausedUntil)
        {
            _pausedUntil = until;
            _pauseLength = pause;
            _rate?.PauseUntil(now, until);
            _context.Observer?.OnPaused(Key, pause);
        }
    }

    private void TransitionLocked(HostCircuitState to)
    {
        var from = _circuit;
        _circuit = to;
        if (from != to)
        {
            _context.Observer?.OnCircuitChanged(Key, from, to);
        }
    }

    private TimeSpan PauseSpread(TimeSpan length) =>
        TimeSpan.FromTicks((long)(length.Ticks * _options.PauseReleaseSpread * _context.Random()));

    private Task ChangedLocked() =>
        (_changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private TaskCompletionSource? TakeChangedLocked()
    {
        var changed = _changed;
        _changed = null;
        return changed;
    }

    /// <summary>Where a retry stands with the throttle: counted once when held back, and not drawn again once passed.</summary>
    private struct RetryCheck
    {
        public bool Counted;
        public bool Passed;
    }
}
