namespace Reprise.Bench.Clients;

/// <summary>
/// The settings every retrying client under test shares, so that differences come from how each one retries,
/// not from how it was tuned.
/// </summary>
public sealed record RetrySettings
{
    /// <summary>Gets the most attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Gets the base of the exponential backoff (each client draws its own jitter around it).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the time limit of one attempt, for the clients that have one.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the time limit of a whole request, for the clients that have one.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Gets a value indicating whether the standard resilience handler keeps its circuit breaker's defaults.
    /// The micro benchmarks turn it off (a breaker that opens would measure a rejection, not a retry).
    /// </summary>
    public bool StandardCircuitBreaker { get; init; } = true;

    /// <summary>Gets settings whose waits are all zero, for measuring a retry's own cost.</summary>
    public static RetrySettings NoWaits { get; } = new() { BaseDelay = TimeSpan.Zero, StandardCircuitBreaker = false };
}
