namespace Reprise.Hosts;

/// <summary>The send and accept rates a <see cref="RateMeter"/> measured, and whether they are only a first guess.</summary>
/// <param name="Sent">Responses per second.</param>
/// <param name="Accepted">Accepted responses per second.</param>
/// <param name="Guessed">True before the first window closed: the rates are the responses so far over a whole window.</param>
internal readonly record struct RateSample(double Sent, double Accepted, bool Guessed);

/// <summary>
/// Measures a host's send and accept rates: responses per window of at least <see cref="HostCoordinationDefaults.RateMeasureBucket"/>,
/// smoothed (botocore's <c>RateClocker</c>, which counts in fixed 0.5 s buckets; a window here starts exactly when sending
/// starts or resumes, so a pause or a slow start-up does not dilute the first window after it).
/// </summary>
/// <remarks>Not thread-safe and reads no clock: <see cref="AdaptiveRateLimiter"/> calls it under its lock.</remarks>
internal sealed class RateMeter
{
    private double _measuredRate;
    private double _acceptedRate;
    private TimeSpan _windowStart = TimeSpan.MinValue;
    private long _windowResponses;
    private long _windowAccepted;

    // When sending resumes after the latest stop: the next window starts there. MinValue once it has started.
    private TimeSpan _resumeAt = TimeSpan.MinValue;

    /// <summary>Gets the smoothed send rate in responses per second (0 before the first window closed).</summary>
    public double MeasuredRate => _measuredRate;

    /// <summary>Gets when sending resumes after the latest stop, or <paramref name="now"/> when it already has.</summary>
    public TimeSpan ResumeAt(TimeSpan now) => _resumeAt > now ? _resumeAt : now;

    /// <summary>Sending stops until <paramref name="until"/>; the window open now counts when it lasted half a window.</summary>
    /// <returns>False when a stop at least as long was already known.</returns>
    public bool Stop(TimeSpan now, TimeSpan until)
    {
        if (until <= _resumeAt)
        {
            return false;
        }

        _resumeAt = until;
        if (_windowStart != TimeSpan.MinValue && now - _windowStart >= HostCoordinationDefaults.RateMeasureBucket / 2)
        {
            // Sending stops here: half a window or more is a measurement worth keeping.
            CloseWindow(now);
        }

        return true;
    }

    /// <summary>Counts a response and returns the rates: smoothed over closed windows, or over the open one before any closed.</summary>
    public RateSample Measure(TimeSpan now, bool accepted)
    {
        if (_resumeAt != TimeSpan.MinValue && now >= _resumeAt)
        {
            // A pause is not a lower send rate: measuring across it would cap the rate after it at twice a rate diluted
            // by idle time. The next window starts when sending resumes; the rates measured before it stand.
            _windowStart = _resumeAt;
            _resumeAt = TimeSpan.MinValue;
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
            return new RateSample(_measuredRate, _acceptedRate, Guessed: false);
        }

        // Before the first window closes there is no measurement yet (botocore then uses 0 and drops to its minimum
        // rate). The responses so far over a whole window are a cautious first guess: early responses are mostly the
        // host's burst, and a guess too high costs a pause where one too low costs a few windows of slow start.
        seconds = Math.Max(seconds, HostCoordinationDefaults.FirstGuessWindow.TotalSeconds);
        return new RateSample(_windowResponses / seconds, _windowAccepted / seconds, Guessed: true);
    }

    /// <summary>Exponential smoothing as botocore's RateClocker, seeded by the first value rather than by zero.</summary>
    internal static double Smooth(double previous, double current) =>
        previous <= 0 ? current : (current * HostCoordinationDefaults.RateMeasureSmoothing) + (previous * (1 - HostCoordinationDefaults.RateMeasureSmoothing));

    private void CloseWindow(TimeSpan now)
    {
        double seconds = (now - _windowStart).TotalSeconds;
        _measuredRate = Smooth(_measuredRate, _windowResponses / seconds);
        _acceptedRate = Smooth(_acceptedRate, _windowAccepted / seconds);
        _windowStart = now;
        _windowResponses = 0;
        _windowAccepted = 0;
    }
}
