using Reprise.Hosts;

namespace Reprise.Bulk;

/// <summary>
/// The requests waiting for a busy host, served one at a time, in the order of <see cref="HostWaitOrder"/>. Its
/// leader (the one request that asks the host again) waits for the host's next free slot through the line, which the
/// host wakes at once when a slot frees (<see cref="IHostSlotWaiter"/>).
/// </summary>
internal sealed class HostLine : IHostSlotWaiter
{
    private readonly Queue<BulkWorkItem> _first = new();
    private readonly Queue<BulkWorkItem> _second = new();
    private readonly Action<BulkWorkItem>? _onLeaderWoken;
    private BulkWorkItem? _leader;

    public HostLine(Action<BulkWorkItem>? onLeaderWoken = null) => _onLeaderWoken = onLeaderWoken;

    /// <summary>Gets the host whose slot the leader waits for, or null when it waits for none.</summary>
    public HostState? WaitsOn { get; private set; }

    public void Enqueue(BulkWorkItem item) => (HostWaitOrder.GoesFirst(item) ? _first : _second).Enqueue(item);

    public bool TryDequeue(out BulkWorkItem item) => _first.TryDequeue(out item!) || _second.TryDequeue(out item!);

    /// <summary>Moves every waiting request to <paramref name="items"/>.</summary>
    public void DrainTo(List<BulkWorkItem> items)
    {
        items.AddRange(_first);
        items.AddRange(_second);
        _first.Clear();
        _second.Clear();
    }

    /// <summary>Lets the leader wait for the host's next free slot; false when the host has room now.</summary>
    public bool TryWaitForSlot(BulkWorkItem leader, HostState host)
    {
        Volatile.Write(ref _leader, leader);
        WaitsOn = host;
        if (host.TryWaitForSlot(this, HostWaitOrder.GoesFirst(leader)))
        {
            return true;
        }

        Volatile.Write(ref _leader, null);
        WaitsOn = null;
        return false;
    }

    /// <summary>Takes the leader back from its wait (the run was cancelled); null when the host already woke it.</summary>
    public BulkWorkItem? CancelWait()
        => WaitsOn is { } host && host.CancelSlotWait(this) ? Interlocked.Exchange(ref _leader, null) : null;

    void IHostSlotWaiter.OnSlotFreed()
    {
        if (Interlocked.Exchange(ref _leader, null) is { } leader)
        {
            _onLeaderWoken?.Invoke(leader);
        }
    }
}
