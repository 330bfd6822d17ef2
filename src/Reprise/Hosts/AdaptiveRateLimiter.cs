using System.Threading.RateLimiting;

namespace Reprise.Hosts;

/// <summary>
/// A send-rate limiter that engages once a host throttles and then adapts its rate by CUBIC, as the AWS SDKs'
/// adaptive retry mode does: a token bucket filled at the current rate, which falls to beta times the measured
/// accept rate on a throttle and grows back along W(t) = C (t - K)^3 + W_max (RFC 8312 section 4.1),
/// never above twice the measured send rate (botocore <c>retries/adaptive.py</c>). The constants are in
/// <see cref="HostCoordinationDefaults"/>; docs/host-coordination.md gives the reasons.
/// </summary>
/// <remarks>
/// <para>
/// A throttle that pauses the host (a 429 with Retry-After) costs the whole pause, so after one the rate recovers to
/// the last maximum in <see cref="HostCoordinationDefaults.PausedRecovery"/> and probes above it at a scale relative
/// to it: briskly while searching, slowly once two maxima agree. The host's first throttle, before any measurement,
/// starts a slow start (the rate doubles every half second from a cautious guess) as TCP does; CUBIC's fast
/// convergence keeps a maximum read off a burst-inflated measurement from holding the rate above the limit.
/// </para>
/// <para>
/// Before the first throttle every request passes: a concurrency limit is enough for a host that never pushes back.
/// A pause (<see cref="PauseUntil"/>) lets no token accrue, so sending resumes at the adapted rate, not in a burst.
/// Waiters reserve tokens ahead (the bucket may go negative), which serves them in order without a timer.
/// </para>
/// </remarks>
internal sealed class AdaptiveRateLimiter : RateLimiter
{
    private static readonly RateLimitLease SuccessfulLease = new Lease(isAcquired: true);
    private static readonly RateLimitLease FailedLease = new Lease(isAcquired: false);

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly double _beta;
    private readonly double _scale;
    private bool _engaged;
    private double _fillRate;
    private double _tokens;
    private TimeSpan _lastRefill;

    // CUBIC state (RFC 8312 W_max, K, and the time of the last decrease).
    private double _lastMaxRate;
    private double _k;
    private TimeSpan _lastThrottle;
    // CUBIC's C, split: below the last maximum (concave, recovering) and above it (convex, probing).
    private double _probeScale;
    private double _recoveryScale;
    private bool _slowStart;
    private double _slowStartRate;
    private TimeSpan _slowStartFrom;
    private bool _slowStartExit;

    // Measured send and accept rates: responses per window of at least RateMeasureBucket, smoothed (botocore RateClocker,
    // which counts in fixed 0.5 s buckets; a window here starts exactly when sending starts or resumes, so a pause or
    // a slow start-up does not dilute the first window after it).
    private double _measuredRate;
    private double _acceptedRate;
    private TimeSpan _windowStart = TimeSpan.MinValue;
    private long _windowResponses;
    private long _windowAccepted;
    private TimeSpan _pausedUntil = TimeSpan.MinValue;
    private long _successful;
    private long _failed;

    public AdaptiveRateLimiter(TimeProvider timeProvider, long origin, double beta = HostCoordinationDefaults.CubicBeta, double scale = HostCoordinationDefaults.CubicScale)
    {
        _timeProvider = timeProvider;
        _origin = origin;
        _beta = beta;
        _scale = scale;
    }

    /// <summary>Gets the current send rate in requests per second, or null before the host first throttled.</summary>
    public double? CurrentRate
    {
        get
        {
            lock (_lock)
            {
                return _engaged ? _fillRate : null;
            }
        }
    }

    /// <summary>Gets the measured send rate in responses per second.</summary>
    public double MeasuredRate
    {
        get
        {
            lock (_lock)
            {
                return _measuredRate;
            }
        }
    }

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = Now;
                Refill(now);
                return !_engaged || _tokens >= Capacity ? now - _lastRefill : null;
            }
        }
    }

    private TimeSpan Now => _timeProvider.GetElapsedTime(_origin);

    private double Capacity => Math.Max(1, _fillRate * HostCoordinationDefaults.RateBurst.TotalSeconds);

    /// <summary>Takes a token if one is there; otherwise tells how long until one is.</summary>
    public bool TryTake(TimeSpan now, out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            retryAfter = TimeSpan.Zero;
            if (!_engaged)
            {
                _successful++;
                return true;
            }

            Refill(now);
            if (now >= _lastRefill && _tokens >= 1)
            {
                _tokens--;
                _successful++;
                return true;
            }

            _failed++;
            retryAfter = UntilTokens(now, 1);
            return false;
        }
    }

    /// <summary>
    /// Reserves a token when one will be there within <paramref name="horizon"/> and returns how long to wait before
    /// using it (zero when one is there now). Beyond the horizon nothing is reserved: the caller waits the horizon and
    /// asks again, so a rate that grows meanwhile serves it sooner. (A wait fixed at reservation time would hold every
    /// queued request to the rate of the moment it queued, long after the rate had recovered.)
    /// </summary>
    public TimeSpan Reserve(TimeSpan now, TimeSpan horizon, out bool reserved)
    {
        lock (_lock)
        {
            reserved = true;
            if (!_engaged)
            {
                _successful++;
                return TimeSpan.Zero;
            }

            Refill(now);
            var wait = UntilTokens(now, 1);
            if (wait > horizon)
            {
                reserved = false;
                return horizon;
            }

            _successful++;
            _tokens--;
            return wait;
        }
    }

    /// <summary>Gives back a reserved token that was not used.</summary>
    public void Unreserve()
    {
        lock (_lock)
        {
            if (_engaged)
            {
                _tokens = Math.Min(Capacity, _tokens + 1);
            }
        }
    }

    /// <summary>Lets no token accrue before <paramref name="until"/>; the next window of measurement starts then.</summary>
    /// <remarks>
    /// The bucket keeps at most the one token it holds, so the first request after the pause goes at once and the rest
    /// follow at the adapted rate. A pause before the first throttle is remembered too: a throttle that engages the
    /// limiter usually comes with the pause it starts.
    /// </remarks>
    public void PauseUntil(TimeSpan now, TimeSpan until)
    {
        lock (_lock)
        {
            if (until <= _pausedUntil)
            {
                return;
            }

            _pausedUntil = until;
            if (_windowStart != TimeSpan.MinValue && now - _windowStart >= HostCoordinationDefaults.RateMeasureBucket / 2)
            {
                // Sending stops here: half a window or more is a measurement worth keeping.
                CloseWindow(now);
            }

            if (_engaged)
            {
                Refill(now);
                if (until > _lastRefill)
                {
                    _lastRefill = until;
                }
            }
        }
    }

    /// <summary>Records a response and adapts the rate; <paramref name="decrease"/> is a throttle the rate reacts to.</summary>
    /// <param name="now">The time of the response.</param>
    /// <param name="throttled">Whether the host throttled the request.</param>
    /// <param name="decrease">Whether to lower the rate: a throttle of a request sent after the last decrease.</param>
    /// <param name="paused">Whether the throttle also paused the host (it carried a Retry-After).</param>
    public void OnResponse(TimeSpan now, bool throttled, bool decrease, bool paused = false)
    {
        lock (_lock)
        {
            var (measured, acceptedRate, guessed) = Measure(now, accepted: !throttled);
            double newRate;
            if (throttled)
            {
                if (!decrease)
                {
                    return;
                }

                // A throttle that pauses the host has already shed a pause's worth of requests and will cost as much
                // again the next time: back off less, and probe above the last maximum slowly (a scale relative to it).
                double beta = paused ? HostCoordinationDefaults.PausedCubicBeta : _beta;
                double rateToUse;
                if (_slowStart)
                {
                    // Doubling drew the throttle: the host took half this rate a moment ago. Settle between the two, as
                    // TCP sets its threshold to half the window that met the first loss of slow start.
                    rateToUse = _fillRate * HostCoordinationDefaults.SlowStartExitFactor;
                }
                else
                {
                    // botocore anchors the decrease on the measured send rate, so its plateau (W_max) sits on the rate
                    // that drew the throttle. The rate the host actually accepted is where it stops throttling;
                    // anchoring there keeps the plateau just under the limit.
                    double accepted = (acceptedRate > 0 ? acceptedRate : measured) * HostCoordinationDefaults.AcceptedRateMargin;
                    rateToUse = Math.Min(accepted, _engaged ? Math.Min(measured, _fillRate) : measured);
                    if (_engaged)
                    {
                        // A measurement taken while sending below the limit reads low; one throttle takes at most CUBIC's
                        // own decrease off the current rate.
                        rateToUse = Math.Max(rateToUse, _fillRate * _beta);
                    }
                }

                bool wasSlowStart = _slowStart;
                // The host's first throttle, before any measurement, says little: what the host took in the first
                // instant is mostly its burst. Start low and double until the next throttle (slow start).
                _slowStart = !_engaged && guessed;

                // CUBIC's fast convergence (RFC 8312 section 4.6): a throttle that came before the rate got back above
                // the last maximum says that maximum is too high, so the next one sits lower still. Without it a
                // maximum read off a measurement inflated by the host's burst would hold the rate above the limit.
                if (_engaged && !wasSlowStart && _fillRate <= _lastMaxRate)
                {
                    rateToUse = Math.Min(rateToUse, _fillRate * (1 + beta) / 2);
                }

                bool confirmed = !_slowStartExit && Math.Abs(rateToUse - _lastMaxRate) <= HostCoordinationDefaults.ConfirmedMaximumTolerance * _lastMaxRate;
                _slowStartExit = wasSlowStart;
                _lastMaxRate = rateToUse;
                _probeScale = paused ? (confirmed ? HostCoordinationDefaults.PausedProbeScale : HostCoordinationDefaults.PausedSearchScale) * rateToUse : _scale;
                _recoveryScale = paused ? (1 - beta) * rateToUse / Math.Pow(HostCoordinationDefaults.PausedRecovery.TotalSeconds, 3) : _scale;
                _k = Math.Cbrt(_lastMaxRate * (1 - beta) / _recoveryScale);
                _lastThrottle = now;
                newRate = rateToUse * beta;
                _slowStartRate = newRate;
                _slowStartFrom = _pausedUntil > now ? _pausedUntil : now;
                if (!_engaged)
                {
                    // One token, as after any pause: the first request when sending resumes goes at once.
                    _engaged = true;
                    _tokens = 1;
                    _lastRefill = _pausedUntil > now ? _pausedUntil : now;
                }
            }
            else if (!_engaged)
            {
                return;
            }
            else if (_slowStart)
            {
                // Doubles every measure window from the rate set at the throttle, counted from when sending resumed.
                double since = (now - _slowStartFrom).TotalSeconds;
                newRate = _slowStartRate * Math.Pow(2, Math.Max(0, since) / HostCoordinationDefaults.SlowStartDoubling.TotalSeconds);
                measured = Math.Max(measured, newRate / 2);
            }
            else
            {
                double t = (now - _lastThrottle).TotalSeconds - _k;
                newRate = ((t < 0 ? _recoveryScale : _probeScale) * t * t * t) + _lastMaxRate;
            }

            Refill(now);
            _fillRate = Math.Max(HostCoordinationDefaults.MinRate, Math.Min(newRate, HostCoordinationDefaults.MaxRateIncreaseFactor * measured));
            _tokens = Math.Min(_tokens, Capacity);
        }
    }

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill(Now);
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _engaged ? (long)Math.Max(0, _tokens) : long.MaxValue,
                CurrentQueuedCount = _engaged ? (long)Math.Max(0, -_tokens) : 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        var now = Now;
        for (int i = 0; i < permitCount; i++)
        {
            if (!TryTake(now, out _))
            {
                return FailedLease;
            }
        }

        return SuccessfulLease;
    }

    /// <inheritdoc/>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        for (int i = 0; i < permitCount; i++)
        {
            await WaitForTokenAsync(cancellationToken).ConfigureAwait(false);
        }

        return SuccessfulLease;
    }

    /// <summary>Waits for and takes one token, asking again at least every <see cref="HostCoordinationDefaults.RateReserveHorizon"/>.</summary>
    public async ValueTask WaitForTokenAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = Reserve(Now, HostCoordinationDefaults.RateReserveHorizon, out var reserved);
            if (reserved && wait <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (reserved)
                {
                    Unreserve();
                }

                throw;
            }

            if (reserved)
            {
                return;
            }
        }
    }

    /// <summary>Counts a response and returns the send and accept rates: smoothed over closed windows, or over the open one before any closed.</summary>
    private (double Sent, double Accepted, bool Guessed) Measure(TimeSpan now, bool accepted)
    {
        if (_pausedUntil != TimeSpan.MinValue && now >= _pausedUntil)
        {
            // A pause is not a lower send rate: measuring across it would cap the rate after it at twice a rate diluted
            // by idle time. The next window starts when sending resumes; the rates measured before it stand.
            _windowStart = _pausedUntil;
            _pausedUntil = TimeSpan.MinValue;
            _windowResponses = 0;
            _windowAccepted = 0;
        }
        else if (_windowStart == TimeSpan.MinValue)
        {
            _windowStart = now;
        }

        _windowResponses++;
        if (accepted)
        {
            _windowAccepted++;
        }

        double seconds = (now - _windowStart).TotalSeconds;
        if (seconds >= HostCoordinationDefaults.RateMeasureBucket.TotalSeconds)
        {
            CloseWindow(now);
        }

        if (_measuredRate > 0)
        {
            return (_measuredRate, _acceptedRate, false);
        }

        // Before the first window closes there is no measurement yet (botocore then uses 0 and drops to its minimum
        // rate). The responses so far over a whole window are a cautious first guess: early responses are mostly the
        // host's burst, and a guess too high costs a pause where one too low costs a few windows of slow start.
        seconds = Math.Max(seconds, HostCoordinationDefaults.FirstGuessWindow.TotalSeconds);
        return (_windowResponses / seconds, _windowAccepted / seconds, true);
    }

    private void CloseWindow(TimeSpan now)
    {
        double seconds = (now - _windowStart).TotalSeconds;
        _measuredRate = Smooth(_measuredRate, _windowResponses / seconds);
        _acceptedRate = Smooth(_acceptedRate, _windowAccepted / seconds);
        _windowStart = now;
        _windowResponses = 0;
        _windowAccepted = 0;
    }

    /// <summary>Exponential smoothing as botocore's RateClocker, seeded by the first value rather than by zero.</summary>
    private static double Smooth(double previous, double current) =>
        previous <= 0 ? current : (current * HostCoordinationDefaults.RateMeasureSmoothing) + (previous * (1 - HostCoordinationDefaults.RateMeasureSmoothing));

    private void Refill(TimeSpan now)
    {
        if (now > _lastRefill)
        {
            if (_engaged)
            {
                _tokens = Math.Min(Capacity, _tokens + ((now - _lastRefill).TotalSeconds * _fillRate));
            }

            _lastRefill = now;
        }
    }

    private TimeSpan UntilTokens(TimeSpan now, double needed)
    {
        var start = now < _lastRefill ? _lastRefill - now : TimeSpan.Zero;
        double missing = needed - _tokens;
        // Rounded up to whole ticks: a caller that comes back at the returned time finds the token there.
        return missing <= 0 ? start : start + TimeSpan.FromTicks((long)Math.Ceiling(missing / _fillRate * TimeSpan.TicksPerSecond));
    }

    private sealed class Lease : RateLimitLease
    {
        public Lease(bool isAcquired) => IsAcquired = isAcquired;

        public override bool IsAcquired { get; }

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
