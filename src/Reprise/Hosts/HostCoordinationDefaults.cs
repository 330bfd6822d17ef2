namespace Reprise.Hosts;

/// <summary>
/// The defaults of <see cref="HostCoordinationOptions"/> and the fixed constants of the algorithms, in one place.
/// docs/host-coordination.md explains each choice and its source.
/// </summary>
internal static class HostCoordinationDefaults
{
    // Shared pause.
    public static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(1);
    public const double PauseReleaseSpread = 0.1;

    // Retry throttling: SRE book ch. 21 "client-side throttling", K = 2.
    public const double RetryThrottlingK = 2.0;
    public static readonly TimeSpan RetryThrottlingWindow = TimeSpan.FromMinutes(1);
    public const int RetryThrottlingBuckets = 10;
    public const int RetryThrottlingFreeRequests = 20;

    // Circuit breaker: 0.4^20 ~ 1.1e-8, so a host failing 40% at random trips about once per 1.5e8 attempts.
    public const int CircuitBreakerFailureThreshold = 20;
    public static readonly TimeSpan CircuitBreakerProbeInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan CircuitBreakerMaxProbeInterval = TimeSpan.FromSeconds(30);

    // Adaptive concurrency: start at the maximum, AIMD between the floor and the maximum.
    // 100 is the smallest SETTINGS_MAX_CONCURRENT_STREAMS RFC 9113 section 6.5.2 recommends a server allow.
    public const int MaxConcurrency = 100;
    public const int MinConcurrency = 1;
    public const double ConcurrencyDecreaseFactor = 0.7;

    // Adaptive rate: CUBIC (RFC 8312) on a send rate, as the AWS SDKs' adaptive retry mode applies it (botocore
    // retries/throttling.py and bucket.py: beta 0.7, C 0.4, minimum fill rate 0.5/s, growth capped at twice the
    // measured send rate, measured over 0.5 s buckets with smoothing 0.8). C, the beta after a pause, the accept-rate
    // anchor and the one-token bucket depart from those numbers on the evidence of RateLimitSimulationTests; see
    // docs/host-coordination.md.
    public const double CubicBeta = 0.7;
    public const double PausedCubicBeta = 0.9;
    public const double CubicScale = 0.1;

    // After a throttle that paused the host (each probe above the limit costs a whole pause): back to the last maximum
    // in 6 s, then probe above it at a scale relative to it, slowly once two maxima agree within 10%.
    public static readonly TimeSpan PausedRecovery = TimeSpan.FromSeconds(6);
    public const double PausedSearchScale = 4e-3;
    public const double PausedProbeScale = 2e-5;
    public const double ConfirmedMaximumTolerance = 0.1;
    public const double MinRate = 0.5;
    public const double MaxRateIncreaseFactor = 2.0;
    public static readonly TimeSpan RateMeasureBucket = TimeSpan.FromSeconds(0.5);
    public static readonly TimeSpan SlowStartDoubling = TimeSpan.FromSeconds(0.5);
    public static readonly TimeSpan FirstGuessWindow = TimeSpan.FromSeconds(0.1);
    public const double RateMeasureSmoothing = 0.8;
    public const double AcceptedRateMargin = 0.95;
    public const double SlowStartExitFactor = 0.75;

    // How far ahead a queued request may reserve a rate token; beyond it, it asks again after this long.
    public static readonly TimeSpan RateReserveHorizon = TimeSpan.FromMilliseconds(200);

    // The bucket holds one token plus what accrues in this long: a refused request's timer fires late by up to a tick
    // (4 ms on Linux, 15.6 ms on Windows), and the tokens of that lateness must not be lost.
    public static readonly TimeSpan RateTimerSlack = TimeSpan.FromMilliseconds(20);

    // Fixed rate limit.
    public const int RateLimitBurst = 1;

    // Bounded memory.
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);
    public const int MaxHosts = 10_000;
}
