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
/// Before the first throttle every request passes: a concurrency limit is enough for a host that never pushes back.
/// A pause (<see cref="PauseUntil"/>) empties the bucket, so sending resumes at the adapted rate, not in a burst.
/// Waiters reserve tokens ahead (the bucket may go negative), which serves them in order without a timer.
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

    // Measured send rate: responses per 0.5 s bucket, smoothed 0.8 (botocore RateClocker).
    private double _measuredRate;
    private long _measureCount;
    private long _measureBucket = -1;
    private TimeSpan _firstResponse = TimeSpan.MinValue;
    private TimeSpan _measureResumeAt = TimeSpan.MinValue;

    // Measured accept rate, same clock: what the host actually served, the anchor of a decrease.
    private double _acceptedRate;
    private long _acceptedCount;
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

    /// <summary>Empties the bucket and lets nothing accrue before <paramref name="until"/>.</summary>
    public void PauseUntil(TimeSpan now, TimeSpan until)
    {
        lock (_lock)
        {
            if (!_engaged)
            {
                return;
            }

            Refill(now);
            _tokens = Math.Min(_tokens, 0);
            _measureResumeAt = until;
            if (until > _lastRefill)
            {
                _lastRefill = until;
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
            if (!throttled)
            {
                _acceptedCount++;
            }

            double measured = Measure(now);
            double newRate;
            if (throttled)
            {
                if (!decrease)
                {
                    return;
                }

                // botocore anchors the decrease on the measured send rate, so its plateau (W_max) sits on the rate that
                // drew the throttle and the next throttle follows a few seconds later. The rate the host actually
                // accepted is where it stops throttling; anchoring there keeps the plateau just under the limit.
                double accepted = (_acceptedRate > 0 ? _acceptedRate : measured) * HostCoordinationDefaults.AcceptedRateMargin;
                double rateToUse = Math.Min(accepted, _engaged ? Math.Min(measured, _fillRate) : measured);
                // A throttle that pauses the host has already shed a whole pause's worth of requests; cutting the rate
                // by 30% as well would cost a second time. It then backs off by the smaller PausedBeta.
                double beta = paused ? HostCoordinationDefaults.PausedCubicBeta : _beta;
                _lastMaxRate = rateToUse;
                _k = Math.Cbrt(_lastMaxRate * (1 - beta) / _scale);
                _lastThrottle = now;
                newRate = rateToUse * beta;
                if (!_engaged)
                {
                    _engaged = true;
                    _tokens = 0;
                    _lastRefill = now;
                }
            }
            else
            {
                if (!_engaged)
                {
                    return;
                }

                double t = (now - _lastThrottle).TotalSeconds - _k;
                newRate = (_scale * t * t * t) + _lastMaxRate;
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

    private double Measure(TimeSpan now)
    {
        long bucket = (long)(now.Ticks / HostCoordinationDefaults.RateMeasureBucket.Ticks);
        if (_measureBucket < 0)
        {
            _measureBucket = bucket;
            _firstResponse = now;
        }

        if (_measureResumeAt != TimeSpan.MinValue && now >= _measureResumeAt)
        {
            // A pause is not a lower send rate: measuring across it would cap the rate after it at twice a rate
            // diluted by idle time. Start the next bucket when sending resumes and keep the rate measured before.
            _measureResumeAt = TimeSpan.MinValue;
            _measureBucket = bucket;
            _measureCount = 0;
            _acceptedCount = 0;
        }

        _measureCount++;
        if (bucket > _measureBucket)
        {
            double current = _measureCount / ((bucket - _measureBucket) * HostCoordinationDefaults.RateMeasureBucket.TotalSeconds);
            double seconds = (bucket - _measureBucket) * HostCoordinationDefaults.RateMeasureBucket.TotalSeconds;
            _measuredRate = Smooth(_measuredRate, current);
            _acceptedRate = Smooth(_acceptedRate, _acceptedCount / seconds);
            _measureCount = 0;
            _acceptedCount = 0;
            _measureBucket = bucket;
        }

        if (_measuredRate > 0)
        {
            return _measuredRate;
        }

        // Before the first bucket closes there is no measurement yet (botocore then uses 0 and drops to its minimum
        // rate); the responses so far over the time since the first one are a better first guess.
        double elapsed = Math.Max((now - _firstResponse).TotalSeconds, HostCoordinationDefaults.RateMeasureBucket.TotalSeconds / 10);
        return _measureCount / elapsed;
    }

    private static double Smooth(double previous, double current) =>
        (current * HostCoordinationDefaults.RateMeasureSmoothing) + (previous * (1 - HostCoordinationDefaults.RateMeasureSmoothing));

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
