namespace Reprise.Chaos.Configuration;

/// <summary>
/// A token bucket in front of a route, or of every route of a host: beyond it, requests get
/// <c>429 Too Many Requests</c> with a <c>Retry-After</c> of the time until a token is free,
/// rounded up to whole seconds (at least 1).
/// </summary>
public sealed class ChaosRateLimitOptions
{
    /// <summary>Gets or sets how many tokens the bucket gains per second (fractions allowed).</summary>
    /// <value>Required; more than 0.</value>
    public double RequestsPerSecond { get; set; }

    /// <summary>Gets or sets how many tokens the bucket holds: the burst allowed at once.</summary>
    /// <value>The default value is 1. At least 1. The bucket starts full.</value>
    public int Burst { get; set; } = ChaosDefaults.RateLimitBurst;

    /// <summary>Gets or sets whether the <c>Retry-After</c> is sent as seconds or as an HTTP-date.</summary>
    /// <value>The default value is <see cref="RetryAfterFormat.Delta"/>.</value>
    public RetryAfterFormat RetryAfterFormat { get; set; }
}
