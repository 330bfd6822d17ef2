namespace Reprise.Timing;

/// <summary>
/// Idle <see cref="RequestTimeouts"/> of one handler, so that a request reuses a cancellation source and a timer
/// instead of creating both. Lock-free; holds a few instances per core, and disposes what it cannot hold.
/// </summary>
internal sealed class RequestTimeoutsPool : IDisposable
{
    private readonly TimeSpan _deadline;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly RequestTimeouts?[] _items = new RequestTimeouts?[Math.Min(64, Environment.ProcessorCount * 4)];
    private RequestTimeouts? _first;
    private volatile bool _disposed;

    public RequestTimeoutsPool(TimeSpan deadline, TimeSpan attemptTimeout, TimeProvider timeProvider)
    {
        _deadline = deadline;
        _attemptTimeout = attemptTimeout;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets an instance started for a request at <paramref name="timestamp"/>.</summary>
    public RequestTimeouts Rent(CancellationToken callerToken, long timestamp)
    {
        var timeouts = Take() ?? new RequestTimeouts(_deadline, _attemptTimeout, _timeProvider);
        timeouts.Start(callerToken, timestamp);
        return timeouts;
    }

    /// <summary>Ends the request of <paramref name="timeouts"/> and keeps the instance for another, room permitting.</summary>
    /// <param name="timeouts">An instance from <see cref="Rent"/>.</param>
    /// <param name="tokenReleased">Whether nothing holds on to a registration on its token (see <see cref="RequestTimeouts.End"/>).</param>
    public void Return(RequestTimeouts timeouts, bool tokenReleased)
    {
        if (!timeouts.End(tokenReleased) || _disposed || !Put(timeouts))
        {
            timeouts.Dispose();
        }
        else if (_disposed)
        {
            // Disposed while this one was being put back.
            DisposeIdle();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        DisposeIdle();
    }

    private RequestTimeouts? Take()
    {
        var item = _first;
        if (item is not null && Interlocked.CompareExchange(ref _first, null, item) == item)
        {
            return item;
        }

        var items = _items;
        for (var i = 0; i < items.Length; i++)
        {
            item = items[i];
            if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
            {
                return item;
            }
        }

        return null;
    }

    private bool Put(RequestTimeouts timeouts)
    {
        if (_first is null && Interlocked.CompareExchange(ref _first, timeouts, null) is null)
        {
            return true;
        }

        var items = _items;
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is null && Interlocked.CompareExchange(ref items[i], timeouts, null) is null)
            {
                return true;
            }
        }

        return false;
    }

    private void DisposeIdle()
    {
        while (Take() is { } idle)
        {
            idle.Dispose();
        }
    }
}
