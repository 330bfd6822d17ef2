using System.Threading.RateLimiting;
using Reprise.Timing;

namespace Reprise.Hosts;

/// <summary>
/// A send-rate limiter that engages once a host throttles and then paces sends at the rate its
/// <see cref="CubicRateController"/> decides from what its <see cref="RateMeter"/> measures: a token bucket filled at
/// the current rate, as the AWS SDKs' adaptive retry mode does. This class is the bucket, the lock and the BCL
/// <see cref="RateLimiter"/> surface; the constants are in <see cref="HostCoordinationDefaults"/>.
/// </summary>
/// <remarks>
/// Before the first throttle every request passes: a concurrency limit is enough for a host that never pushes back.
/// A stop of sending (<see cref="PauseUntil"/>: a pause or an open circuit) lets no token accrue, so sending resumes at
/// the adapted rate, not in a burst. Waiters reserve tokens ahead (the bucket may go negative), which serves them in
/// order without a timer.
/// </remarks>
internal sealed partial class AdaptiveRateLimiter : RateLimiter
{
    private static readonly RateLimitLease SuccessfulLease = new Lease(isAcquired: true);
    private static readonly RateLimitLease FailedLease = new Lease(isAcquired: false);

    private readonly Lock _lock = new();
    private readonly RegistryClock _clock;
    private readonly RateMeter _meter = new();
    private readonly CubicRateController _controller;
    private bool _engaged;
    private TimeSpan _lastBound = TimeSpan.MinValue;
    private TimeSpan _lastThrottle = TimeSpan.MinValue;
    private TimeSpan _loweredFrom = TimeSpan.MinValue;
    private long _decreases;
    private int _outstanding;
    private double _fillRate;
    private double _tokens;
    private TimeSpan _lastRefill;
    private long _successful;
    private long _failed;

    /// <summary>Initializes a new instance of the <see cref="AdaptiveRateLimiter"/> class on its registry's clock, whose time its callers pass.</summary>
    public AdaptiveRateLimiter(RegistryClock clock, double beta = HostCoordinationDefaults.CubicBeta, double scale = HostCoordinationDefaults.CubicScale)
    {
        _clock = clock;
        _controller = new CubicRateController(beta, scale);
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
                return _meter.MeasuredRate;
            }
        }
    }

    private TimeSpan Now => _clock.Now;

    private double Capacity => BucketCapacity(_fillRate);

    /// <summary>Takes <paramref name="count"/> tokens if they are there, or none; otherwise tells how long until they are.</summary>
    public bool TryTake(TimeSpan now, out TimeSpan retryAfter, int count = 1)
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
            if (now >= _lastRefill && _tokens >= count)
            {
                _tokens -= count;
                _successful++;
                return true;
            }

            _failed++;
            _lastBound = now;
            retryAfter = UntilTokens(now, count);
            return false;
        }
    }

    /// <summary>Lets no token accrue before <paramref name="until"/>; the next window of measurement starts then.</summary>
    /// <remarks>
    /// The bucket keeps at most the tokens it holds (one, plus a timer's slack: <see cref="BucketCapacity"/>), so the
    /// first requests after the pause go at once and the rest follow at the adapted rate. A pause before the first
    /// throttle is remembered too: a throttle that engages the limiter usually comes with the pause it starts.
    /// </remarks>
    public void PauseUntil(TimeSpan now, TimeSpan until)
    {
        lock (_lock)
        {
            if (_meter.Stop(now, until) && _engaged)
            {
                Refill(now);
                if (until > _lastRefill)
                {
                    _lastRefill = until;
                }
            }
        }
    }

    /// <summary>
    /// Disengages the rate when it has neither bound (made a request wait) nor been lowered by a throttle for a while
    /// (<see cref="Evidence.HostEvidence.RateShouldDisengage"/>): the host is again paced only by its concurrency limit,
    /// and its next throttle starts afresh. True when it disengaged.
    /// </summary>
    public bool DisengageWhenQuiet(TimeSpan now)
    {
        lock (_lock)
        {
            if (!_engaged || !Evidence.HostEvidence.RateShouldDisengage(now, _lastBound, _lastThrottle))
            {
                return false;
            }

            _engaged = false;
            return true;
        }
    }

    /// <summary>Records a response and adapts the rate; <paramref name="decrease"/> is a throttle the rate reacts to.</summary>
    /// <param name="now">The time of the response.</param>
    /// <param name="throttled">Whether the host throttled the request (measured as not accepted, whatever the rate does about it).</param>
    /// <param name="decrease">Whether to lower the rate (or engage it): the evidence says the host limits its rate.</param>
    /// <param name="paused">Whether the throttle also paused the host (it carried a Retry-After).</param>
    /// <param name="sentAt">When the request was sent; a throttle of a request sent on a token reserved before the last decrease lowers nothing.</param>
    /// <param name="scale">
    /// What this process's measured rates are multiplied by to give the host's whole rates, when other processes share
    /// the rate (<see cref="ISharedHostState.GetSendRateFactor"/>); 1 alone.
    /// </param>
    public void OnResponse(TimeSpan now, bool throttled, bool decrease, bool paused = false, TimeSpan? sentAt = null, double scale = 1)
    {
        lock (_lock)
        {
            var sample = Scale(_meter.Measure(now, accepted: !throttled), scale);
            double rate;
            if (decrease)
            {
                if (_engaged && (sentAt ?? now) < _loweredFrom)
                {
                    return;
                }

                _lastThrottle = now;
                VoidReservationsLocked(now);
                var resumeAt = _meter.ResumeAt(now);
                rate = _controller.OnThrottle(now, sample, _engaged ? _fillRate : null, paused, resumeAt);
                _loweredFrom = LoweredFrom(now, rate);
                if (!_engaged)
                {
                    // One token, as after any pause: the first request when sending resumes goes at once.
                    _engaged = true;
                    _tokens = 1;
                    _lastRefill = resumeAt;
                }
            }
            else if (!_engaged || throttled || !BoundSince(now - HostCoordinationDefaults.RateMeasureBucket))
            {
                // A rate nobody waited for lately says nothing about the host: growing it would only raise the rate the
                // next burst is sent at (slow start doubled an idle rate from 200/s to 5,800/s).
                return;
            }
            else
            {
                rate = _controller.OnAccepted(now, sample);
            }

            Refill(now);
            _fillRate = rate;
            _tokens = Math.Min(_tokens, Capacity);
        }
    }

    /// <summary>
    /// Engages the rate from <paramref name="acceptedRate"/>, the rate a check measured the host accepting (at most its
    /// rate), and grows it from there by slow start until the next throttle. Does nothing when engaged already.
    /// </summary>
    /// <remarks>
    /// A first throttle measured against the responses so far reads the host's burst as its rate: engaged from it, a host
    /// limited to 200/s was sent 1,300/s and answered a third of a second's requests with 429.
    /// </remarks>
    public void Engage(TimeSpan now, double acceptedRate)
    {
        lock (_lock)
        {
            _meter.Measure(now, accepted: true);
            if (_engaged)
            {
                return;
            }

            var resumeAt = _meter.ResumeAt(now);
            _lastThrottle = now;
            VoidReservationsLocked(now);
            _fillRate = _controller.OnThrottle(now, new RateSample(acceptedRate, acceptedRate, Guessed: true), current: null, paused: false, resumeAt);
            _loweredFrom = LoweredFrom(now, _fillRate);
            _engaged = true;
            _tokens = 1;
            _lastRefill = resumeAt;
        }
    }

    /// <summary>This process's measured rates as the host's whole rates (a scale of at least 1).</summary>
    internal static RateSample Scale(RateSample sample, double scale)
        => scale > 1 ? sample with { Sent = sample.Sent * scale, Accepted = sample.Accepted * scale } : sample;

    /// <summary>
    /// Gets from when requests go at a rate set to <paramref name="rate"/> at <paramref name="now"/>: one token later.
    /// Requests sent before then may spend tokens reserved at the old rate, so their throttles say nothing of the new one
    /// and lower nothing. (Waiters whose reserved token comes due after a decrease reserve again at the lowered rate.
    /// Before both rules a burst of such requests cut the rate a dozen times in 200 ms, from 330/s to the floor of 0.5/s,
    /// and the queued reservations took minutes to repay.) Later throttles lower the rate again, once per round trip.
    /// </summary>
    internal static TimeSpan LoweredFrom(TimeSpan now, double rate)
    {
        var oneToken = TimeSpan.FromSeconds(1 / rate);
        return now + (oneToken < HostCoordinationDefaults.RateReserveHorizon ? oneToken : HostCoordinationDefaults.RateReserveHorizon);
    }

    /// <summary>
    /// One token, plus what accrues at <paramref name="rate"/> while a timer is late (<see cref="HostCoordinationDefaults.RateTimerSlack"/>).
    /// </summary>
    /// <remarks>
    /// A refused request asks again when its timer fires, and timers fire on a coarse tick: on Linux a wait of 5-8 ms
    /// fires after 8 ms (Windows' tick is 15.6 ms). A bucket of one token lost what accrued meanwhile, so a rate of
    /// 125-200/s sent 125/s (3,000 URLs to a 200/s host took 20.6 s, not 15-17 s). The tokens kept go at once: the next
    /// request in the host's line asks as soon as the one before it is granted.
    /// </remarks>
    internal static double BucketCapacity(double rate) => 1 + (rate * HostCoordinationDefaults.RateTimerSlack.TotalSeconds);

    private bool BoundSince(TimeSpan since) => _lastBound >= since;

    private void GiveBackLocked(int count)
    {
        if (_engaged)
        {
            _tokens = Math.Min(Capacity, _tokens + count);
        }
    }

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
}
