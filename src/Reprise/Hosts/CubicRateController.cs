namespace Reprise.Hosts;

/// <summary>
/// Decides a host's send rate by CUBIC, as the AWS SDKs' adaptive retry mode does: on a throttle the rate falls to beta
/// times the measured accept rate and grows back along W(t) = C (t - K)^3 + W_max (RFC 8312 section 4.1), never above
/// twice the measured send rate (botocore <c>retries/adaptive.py</c>). Adds slow start on the host's first throttle and
/// CUBIC's fast convergence; docs/host-coordination.md gives the reasons.
/// </summary>
/// <remarks>
/// Pure: no clock, no lock, no tokens. It takes the time, the measured rates and the current rate as arguments and
/// returns the next rate; <see cref="AdaptiveRateLimiter"/> calls it under its lock and paces sends at that rate.
/// </remarks>
internal sealed class CubicRateController
{
    private readonly double _beta;
    private readonly double _scale;

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

    public CubicRateController(double beta = HostCoordinationDefaults.CubicBeta, double scale = HostCoordinationDefaults.CubicScale)
    {
        _beta = beta;
        _scale = scale;
    }

    /// <summary>The rate after a throttle the rate reacts to (a throttle of a request sent after the last decrease).</summary>
    /// <param name="now">The time of the throttle.</param>
    /// <param name="sample">The measured rates.</param>
    /// <param name="current">The current rate, or null before the first throttle (the rate then engages).</param>
    /// <param name="paused">Whether the throttle also paused the host (it carried a Retry-After).</param>
    /// <param name="resumeAt">When sending resumes: the end of the pause, or now.</param>
    public double OnThrottle(TimeSpan now, RateSample sample, double? current, bool paused, TimeSpan resumeAt)
    {
        bool engaged = current is not null;
        double rate = current ?? 0;

        // A throttle that pauses the host has already shed a pause's worth of requests and will cost as much
        // again the next time: back off less, and probe above the last maximum slowly (a scale relative to it).
        double beta = paused ? HostCoordinationDefaults.PausedCubicBeta : _beta;
        double rateToUse = _slowStart
            // Doubling drew the throttle: the host took half this rate a moment ago. Settle between the two, as
            // TCP sets its threshold to half the window that met the first loss of slow start.
            ? rate * HostCoordinationDefaults.SlowStartExitFactor
            : Anchor(sample, engaged, rate, _beta);

        bool wasSlowStart = _slowStart;
        // The host's first throttle, before any measurement, says little: what the host took in the first
        // instant is mostly its burst. Start low and double until the next throttle (slow start).
        _slowStart = !engaged && sample.Guessed;

        // CUBIC's fast convergence (RFC 8312 section 4.6): a throttle that came before the rate got back above
        // the last maximum says that maximum is too high, so the next one sits lower still. Without it a maximum
        // read off a measurement inflated by the host's burst would hold the rate above the limit.
        if (engaged && !wasSlowStart && rate <= _lastMaxRate)
        {
            rateToUse = Math.Min(rateToUse, rate * (1 + beta) / 2);
        }

        bool confirmed = !_slowStartExit && Math.Abs(rateToUse - _lastMaxRate) <= HostCoordinationDefaults.ConfirmedMaximumTolerance * _lastMaxRate;
        _slowStartExit = wasSlowStart;
        _lastMaxRate = rateToUse;
        _probeScale = paused ? (confirmed ? HostCoordinationDefaults.PausedProbeScale : HostCoordinationDefaults.PausedSearchScale) * rateToUse : _scale;
        _recoveryScale = paused ? (1 - beta) * rateToUse / Math.Pow(HostCoordinationDefaults.PausedRecovery.TotalSeconds, 3) : _scale;
        _k = Math.Cbrt(_lastMaxRate * (1 - beta) / _recoveryScale);
        _lastThrottle = now;
        double newRate = rateToUse * beta;
        _slowStartRate = newRate;
        _slowStartFrom = resumeAt;
        return Bound(newRate, sample.Sent);
    }

    /// <summary>The rate after an accepted response, once the rate is engaged: slow start's doubling, or the CUBIC curve.</summary>
    public double OnAccepted(TimeSpan now, RateSample sample)
    {
        double measured = sample.Sent;
        double newRate;
        if (_slowStart)
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

        return Bound(newRate, measured);
    }

    /// <summary>
    /// W_max on a throttle. botocore anchors the decrease on the measured send rate, so its plateau sits on the rate that
    /// drew the throttle. The rate the host actually accepted is where it stops throttling; anchoring there keeps the
    /// plateau just under the limit. A measurement taken while sending below the limit reads low: one throttle takes at
    /// most CUBIC's own decrease off the current rate.
    /// </summary>
    internal static double Anchor(RateSample sample, bool engaged, double current, double beta)
    {
        double accepted = (sample.Accepted > 0 ? sample.Accepted : sample.Sent) * HostCoordinationDefaults.AcceptedRateMargin;
        double rate = Math.Min(accepted, engaged ? Math.Min(sample.Sent, current) : sample.Sent);
        return engaged ? Math.Max(rate, current * beta) : rate;
    }

    /// <summary>Never above twice the measured send rate, never below the minimum rate.</summary>
    internal static double Bound(double rate, double measured) =>
        Math.Max(HostCoordinationDefaults.MinRate, Math.Min(rate, HostCoordinationDefaults.MaxRateIncreaseFactor * measured));
}
