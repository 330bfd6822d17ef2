namespace Reprise.Hosts;

/// <summary>Someone to wake when a concurrency slot of a host frees: a bulk run's line for the host.</summary>
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
    private readonly Queue<IHostSlotWaiter> _queue = new();
    private int _count;

    /// <summary>Gets how many wait.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Add(IHostSlotWaiter waiter)
    {
        lock (_lock)
        {
            _queue.Enqueue(waiter);
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Takes a waiter out before it is woken (a cancelled run); false when it was already woken.</summary>
    public bool TryRemove(IHostSlotWaiter waiter)
    {
        lock (_lock)
        {
            var found = false;
            for (var i = _queue.Count; i > 0; i--)
            {
                var next = _queue.Dequeue();
                if (!found && ReferenceEquals(next, waiter))
                {
                    found = true;
                    continue;
                }

                _queue.Enqueue(next);
            }

            if (found)
            {
                Interlocked.Decrement(ref _count);
            }

            return found;
        }
    }

    /// <summary>Wakes the first waiter, if any; called after a slot was freed.</summary>
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
            if (!_queue.TryDequeue(out next))
            {
                return;
            }

            Interlocked.Decrement(ref _count);
        }

        next.OnSlotFreed();
    }
}
