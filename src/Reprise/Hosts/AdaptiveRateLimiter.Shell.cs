using System.Threading.RateLimiting;

namespace Reprise.Hosts;

/// <summary>The <see cref="RateLimiter"/> shell of the adaptive rate: leases, statistics and idleness for the BCL's callers.</summary>
internal sealed partial class AdaptiveRateLimiter
{
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
        return permitCount == 0 || TryTake(Now, out _, permitCount) ? SuccessfulLease : FailedLease;
    }

    /// <inheritdoc/>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        int taken = 0;
        try
        {
            for (; taken < permitCount; taken++)
            {
                await WaitForTokenAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (taken > 0)
        {
            // All or none: the tokens taken before the cancellation go back.
            Unreserve(taken);
            throw;
        }

        return SuccessfulLease;
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
