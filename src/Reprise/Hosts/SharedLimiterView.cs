using System.Threading.RateLimiting;

namespace Reprise.Hosts;

/// <summary>
/// A host's limiter as <see cref="HostRegistry"/> hands it out: every lease counts against the host's own limiter, but
/// disposing the view only ends the view, never the limiter every request to the host shares.
/// </summary>
internal sealed class SharedLimiterView : RateLimiter
{
    private readonly RateLimiter _limiter;
    private bool _disposed;

    public SharedLimiterView(RateLimiter limiter) => _limiter = limiter;

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration => _limiter.IdleDuration;

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics() => _limiter.GetStatistics();

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _limiter.AttemptAcquire(permitCount);
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _limiter.AcquireAsync(permitCount, cancellationToken);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => _disposed = true;
}
