using System.Threading.RateLimiting;

namespace Reprise.Hosts;

/// <summary>The optional fixed rate limit per host (<see cref="HostCoordinationOptions.RateLimit"/>): the BCL's token bucket.</summary>
internal static class FixedRate
{
    /// <summary>The limiter the options describe, or null when no fixed rate is set.</summary>
    /// <param name="options">The options.</param>
    /// <param name="interval">The time one token takes to come back; zero without a limiter.</param>
    public static TokenBucketRateLimiter? For(HostCoordinationOptions options, out TimeSpan interval)
    {
        if (options.RateLimit is not { } rate)
        {
            interval = TimeSpan.Zero;
            return null;
        }

        // Replenished on demand rather than by the limiter's own timer, so that an evicted host leaves no timer behind.
        interval = TimeSpan.FromSeconds(1 / rate);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.RateLimitBurst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = interval,
            AutoReplenishment = false,
            QueueLimit = 0,
        });
    }
}
