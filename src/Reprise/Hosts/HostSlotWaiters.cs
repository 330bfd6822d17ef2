namespace Reprise.Hosts;

/// <summary>Someone to wake when a concurrency slot of a host frees: a bulk run's line for the host, or a handler's request.</summary>
internal interface IHostSlotWaiter
{
    /// <summary>Called once, on the thread that freed the slot: must be cheap and never throw.</summary>
    void OnSlotFreed();
}

/// <summary>
/// The waiters for a host's next free concurrency slot. A slot that frees wakes the first waiter at once, so a request
/// refused for the host's limit is handed the next slot instead of asking again on a timer.
/// </summary>
/// <remarks>
/// Registering and freeing follow the Dekker pattern: a waiter registers, then looks for room; a slot is freed, then the
/// waiters are looked at. Each side's write is followed by a full fence, so one of the two always sees the other.
/// </remarks>
internal sealed class HostSlotWaiters
{
    private readonly Lock _lock = new();
    private readonly Queue<IHostSlotWaiter> _first = new();
    private readonly Queue<IHostSlotWaiter> _second = new();
    private int _count;

    /// <summary>Gets how many wait.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds a waiter after the others of its lane: the first lane (<see cref="HostWaitOrder"/>) is woken before the second.</summary>
    public void Add(IHostSlotWaiter waiter, bool goesFirst = false)
    {
        lock (_lock)
        {
            (goesFirst ? _first : _second).Enqueue(waiter);
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Takes a waiter out; false when it was already woken (or never added).</summary>
    public bool TryRemove(IHostSlotWaiter waiter)
    {
        lock (_lock)
        {
            if (!Remove(_first, waiter) && !Remove(_second, waiter))
            {
                return false;
            }

            Interlocked.Decrement(ref _count);
            return true;
        }
    }

    /// <summary>Wakes the first waiter, if any, outside the lock.</summary>
    public void WakeNext()
    {
        // The fence orders the slot's release before this read (see the remarks).
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }

        IHostSlotWaiter? next;
        lock (_lock)
        {
            if (!_first.TryDequeue(out next) && !_second.TryDequeue(out next))
            {
                return;
            }

            Interlocked.Decrement(ref _count);
        }

        next.OnSlotFreed();
    }

    private static bool Remove(Queue<IHostSlotWaiter> queue, IHostSlotWaiter waiter)
    {
        var found = false;
        for (var i = queue.Count; i > 0; i--)
        {
            var next = queue.Dequeue();
            if (!found && ReferenceEquals(next, waiter))
            {
                found = true;
                continue;
            }

            queue.Enqueue(next);
        }

        return found;
    }
}
