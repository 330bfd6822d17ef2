namespace Reprise.Timing;

/// <summary>
/// A cancellation token that follows a parent token and also fires after a timeout measured by a
/// <see cref="TimeProvider"/>, so tests drive timeouts with a fake clock. Tells its own timeout apart from the
/// parent's cancellation.
/// </summary>
internal sealed class TimeoutScope : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly ITimer? _timer;
    private volatile bool _timedOut;

    private readonly CancellationToken _parent;

    private TimeoutScope(CancellationToken parent, TimeSpan timeout, TimeProvider timeProvider)
    {
        _parent = parent;
        _source = CancellationTokenSource.CreateLinkedTokenSource(parent);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _timer = timeProvider.CreateTimer(
                static state =>
                {
                    var scope = (TimeoutScope)state!;
                    if (scope._parent.IsCancellationRequested)
                    {
                        return; // the parent's cancellation is never a timeout
                    }

                    scope._timedOut = true;
                    try
                    {
                        scope._source.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // The scope ended while the timer was firing: nothing is left to cancel.
                    }
                },
                this,
                timeout,
                Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Gets the token that fires on the parent's cancellation or on the timeout.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Gets whether the timeout (not the parent) fired.</summary>
    public bool TimedOut => _timedOut;

    public static TimeoutScope Start(CancellationToken parent, TimeSpan timeout, TimeProvider timeProvider)
        => new(parent, timeout, timeProvider);

    public void Dispose()
    {
        _timer?.Dispose();
        _source.Dispose();
    }
}
