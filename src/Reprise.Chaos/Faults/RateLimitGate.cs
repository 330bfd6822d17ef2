using System.Threading.RateLimiting;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Faults;

/// <summary>
/// A token bucket (the BCL's <see cref="TokenBucketRateLimiter"/>, refilled continuously as time passes)
/// answering 429 with the lease's Retry-After, rounded up to whole seconds, beyond it.
/// </summary>
internal sealed class RateLimitGate : Gate, IDisposable
{
    private const int TooManyRequests = 429;
    private readonly ChaosRateLimitOptions _options;
    private TokenBucketRateLimiter _limiter;

    public RateLimitGate(ChaosRateLimitOptions options)
    {
        _options = new ChaosRateLimitOptions
        {
            RequestsPerSecond = options.RequestsPerSecond,
            Burst = options.Burst,
            RetryAfterFormat = options.RetryAfterFormat,
        };
        _limiter = CreateLimiter(_options);
    }

    public override bool TryPass(out Rejection rejection)
    {
        var limiter = Volatile.Read(ref _limiter);

        // Without auto-replenishment the bucket adds the tokens earned since the last call: no timer, no period steps.
        limiter.TryReplenish();
        using var lease = limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            rejection = default;
            return true;
        }

        var seconds = 1;
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            seconds = (int)Math.Clamp(Math.Ceiling(retryAfter.TotalSeconds), 1, int.MaxValue);
        }

        rejection = new Rejection(TooManyRequests, seconds, _options.RetryAfterFormat);
        return false;
    }

    public override void ResetState()
    {
        base.ResetState();

        // The old bucket is dropped, not disposed: a request may still be using it, and without
        // auto-replenishment it holds no timer.
        Volatile.Write(ref _limiter, CreateLimiter(_options));
    }

    public void Dispose() => Volatile.Read(ref _limiter).Dispose();

    private static TokenBucketRateLimiter CreateLimiter(ChaosRateLimitOptions options) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = options.Burst,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1 / options.RequestsPerSecond),
        AutoReplenishment = false,
        QueueLimit = 0,
    });
}
