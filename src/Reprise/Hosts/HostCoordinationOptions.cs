using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Reprise.Hosts;

/// <summary>
/// Options of host coordination: what requests to one host share (pause, retry throttling, circuit breaker,
/// adaptive concurrency and rate) and how much state a <see cref="HostRegistry"/> keeps.
/// Every part is on by default and each can be switched off; <see cref="Disabled"/> switches all off.
/// </summary>
public sealed class HostCoordinationOptions
{
    /// <summary>Gets options with every part of host coordination switched off: nothing is paused, throttled or limited.</summary>
    public static HostCoordinationOptions Disabled => new()
    {
        PauseEnabled = false,
        RetryThrottlingEnabled = false,
        CircuitBreakerEnabled = false,
        AdaptiveConcurrencyEnabled = false,
        MaxConcurrency = int.MaxValue,
        AdaptiveRateEnabled = false,
        RateLimit = null,
    };

    /// <summary>
    /// Gets or sets whether a throttle that carries a Retry-After (429, or 503 with Retry-After) pauses the whole host
    /// until then, so that no request to it is sent before the server asked.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PauseEnabled { get; set; } = true;

    /// <summary>Gets or sets the longest pause a server's Retry-After or an open circuit can impose on a host.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan MaxPause { get; set; } = HostCoordinationDefaults.MaxPause;

    /// <summary>
    /// Gets or sets the fraction of a pause over which waiting requests are released after it ends, so they do not
    /// all arrive in the same millisecond: each waits an extra random delay up to this fraction of the pause.
    /// </summary>
    /// <value>The default value is 0.1 (10% of the pause).</value>
    [Range(0.0, 1.0)]
    public double PauseReleaseSpread { get; set; } = HostCoordinationDefaults.PauseReleaseSpread;

    /// <summary>
    /// Gets or sets whether retries are throttled adaptively (client-side throttling, Google SRE book chapter 21):
    /// a retry is held back with probability max(0, (requests - K * accepts - free) / (requests + 1)) over a sliding
    /// window. First attempts are never held back.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetryThrottlingEnabled { get; set; } = true;

    /// <summary>
    /// Gets or sets K, the multiplier of accepted requests: retries are held back only once fewer than 1/K of the
    /// host's recent requests are accepted.
    /// </summary>
    /// <value>The default value is 2 (throttling starts below a 50% accept ratio).</value>
    [Range(1.0, 100.0)]
    public double RetryThrottlingK { get; set; } = HostCoordinationDefaults.RetryThrottlingK;

    /// <summary>Gets or sets the sliding window over which requests and accepts are counted (ten buckets).</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan RetryThrottlingWindow { get; set; } = HostCoordinationDefaults.RetryThrottlingWindow;

    /// <summary>
    /// Gets or sets how many requests per window are never counted against the host, so that a handful of early
    /// failures (bad luck on a small sample) do not hold retries back.
    /// </summary>
    /// <value>The default value is 20 requests.</value>
    [Range(0, int.MaxValue)]
    public int RetryThrottlingFreeRequests { get; set; } = HostCoordinationDefaults.RetryThrottlingFreeRequests;

    /// <summary>
    /// Gets or sets whether a retry held back by the throttle fails at once with "retry budget exhausted" instead of
    /// waiting (within its deadline) until the host accepts requests again.
    /// </summary>
    /// <value>The default value is <see langword="false"/> (wait).</value>
    public bool FailFastWhenRetryThrottled { get; set; }

    /// <summary>
    /// Gets or sets whether a run of failures opens the host's circuit: requests then wait while a single probe
    /// tests the host at intervals, and the first success closes it.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CircuitBreakerEnabled { get; set; } = true;

    /// <summary>Gets or sets how many failures or timeouts in a row open the circuit.</summary>
    /// <value>The default value is 20 (a host failing 40% at random trips about once in 10^8 attempts).</value>
    [Range(1, 100_000)]
    public int CircuitBreakerFailureThreshold { get; set; } = HostCoordinationDefaults.CircuitBreakerFailureThreshold;

    /// <summary>
    /// Gets or sets the wait before the first probe of an open circuit when the server gave no Retry-After;
    /// it doubles after each failed probe up to <see cref="CircuitBreakerMaxProbeInterval"/>.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan CircuitBreakerProbeInterval { get; set; } = HostCoordinationDefaults.CircuitBreakerProbeInterval;

    /// <summary>Gets or sets the longest wait between probes of an open circuit.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CircuitBreakerMaxProbeInterval { get; set; } = HostCoordinationDefaults.CircuitBreakerMaxProbeInterval;

    /// <summary>
    /// Gets or sets whether requests to a host whose circuit is open fail at once with "circuit open" instead of
    /// waiting (within their deadline) for the probe to close it.
    /// </summary>
    /// <value>The default value is <see langword="false"/> (wait).</value>
    public bool FailFastWhenCircuitOpen { get; set; }

    /// <summary>
    /// Gets or sets whether the per-host in-flight limit adapts (AIMD): it starts at <see cref="MaxConcurrency"/>,
    /// grows by one per round trip on success and shrinks by 30% on a throttle or timeout. When off, the limit stays
    /// at <see cref="MaxConcurrency"/>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AdaptiveConcurrencyEnabled { get; set; } = true;

    /// <summary>Gets or sets the most requests in flight to one host at once.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, int.MaxValue)]
    public int MaxConcurrency { get; set; } = HostCoordinationDefaults.MaxConcurrency;

    /// <summary>Gets or sets the floor the adaptive in-flight limit never goes below.</summary>
    /// <value>The default value is 1.</value>
    [Range(1, int.MaxValue)]
    public int MinConcurrency { get; set; } = HostCoordinationDefaults.MinConcurrency;

    /// <summary>
    /// Gets or sets whether, once a host throttles (429, or 503 with Retry-After), its send rate is paced by a token
    /// bucket whose rate adapts by CUBIC, as the AWS SDKs' adaptive retry mode does; after a pause sending resumes
    /// at the adapted rate, not in a burst.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AdaptiveRateEnabled { get; set; } = true;

    /// <summary>
    /// Gets or sets a fixed rate limit per host in requests per second (a <c>TokenBucketRateLimiter</c>),
    /// or <see langword="null"/> for none.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no fixed limit).</value>
    [Range(0.001, 1_000_000.0)]
    public double? RateLimit { get; set; }

    /// <summary>Gets or sets how many requests the fixed rate limit lets through at once after an idle spell.</summary>
    /// <value>The default value is 1.</value>
    [Range(1, 1_000_000)]
    public int RateLimitBurst { get; set; } = HostCoordinationDefaults.RateLimitBurst;

    /// <summary>Gets or sets how long a host's state is kept after its last request before it may be dropped.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan IdleTimeout { get; set; } = HostCoordinationDefaults.IdleTimeout;

    /// <summary>
    /// Gets or sets the most hosts a registry tracks; beyond it the least recently used are dropped first.
    /// </summary>
    /// <value>The default value is 10,000 hosts.</value>
    [Range(1, 10_000_000)]
    public int MaxHosts { get; set; } = HostCoordinationDefaults.MaxHosts;

    /// <summary>
    /// Gets or sets where the registry shares each host's pause, circuit and rate with other processes (for example
    /// <c>Reprise.Redis</c>), or <see langword="null"/> to share nothing.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ISharedHostState? SharedState { get; set; }

    /// <summary>Checks every option against its allowed range and the rules across options.</summary>
    /// <exception cref="OptionsValidationException">
    /// An option is out of range; each of its failures names the option and the allowed range, as on start-up under
    /// dependency injection.
    /// </exception>
    public void Validate() => HostCoordinationOptionsValidator.ThrowIfInvalid(this);

    internal HostCoordinationOptions Clone() => (HostCoordinationOptions)MemberwiseClone();
}
