namespace Reprise.Bulk;

/// <summary>
/// The requests waiting for a busy host, served one at a time. Requests whose first attempt was sent go first: their
/// deadline is running, while a request not yet sent has not started its clock (<see cref="BulkWorkItem.FirstSent"/>).
/// Without that, a retry behind thousands of fresh requests for a rate-limited host ran out of deadline in the line.
/// </summary>
internal sealed class HostLine
{
    private readonly Queue<BulkWorkItem> _started = new();
    private readonly Queue<BulkWorkItem> _fresh = new();

    public void Enqueue(BulkWorkItem item) => (item.FirstSent != 0 ? _started : _fresh).Enqueue(item);

    public bool TryDequeue(out BulkWorkItem item) => _started.TryDequeue(out item!) || _fresh.TryDequeue(out item!);

    /// <summary>Moves every waiting request to <paramref name="items"/>.</summary>
    public void DrainTo(List<BulkWorkItem> items)
    {
        items.AddRange(_started);
        items.AddRange(_fresh);
        _started.Clear();
        _fresh.Clear();
    }
}
