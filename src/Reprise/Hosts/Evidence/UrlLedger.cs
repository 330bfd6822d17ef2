using System.Diagnostics;

namespace Reprise.Hosts.Evidence;

/// <summary>What a host remembers about one URL (one request and its attempts).</summary>
internal struct UrlRecord
{
    /// <summary>Gets or sets how many attempts of the URL failed (5xx without Retry-After, transport errors, timeouts).</summary>
    public int Failures;

    /// <summary>Gets or sets whether the URL's last attempt timed out.</summary>
    public bool TimedOut;

    /// <summary>Gets or sets whether the URL's last attempt was throttled with a wait of its own.</summary>
    public bool Throttled;

    /// <summary>Gets or sets when the wait the server gave the URL ends, on the registry's clock.</summary>
    public TimeSpan OwnWaitUntil;

    /// <summary>Gets or sets the host's accept count at the URL's first failure.</summary>
    public long FirstFailureAccepts;

    /// <summary>Gets or sets the host's accept count at the URL's last failure.</summary>
    public long LastFailureAccepts;

    /// <summary>Gets or sets the failure run in which the URL was counted, or zero.</summary>
    public long CountedInRun;

    /// <summary>Gets or sets how many halves of a piece of evidence the URL added to that run (1: a first failure, 2: failed again).</summary>
    public int CountedHalves;

    /// <summary>
    /// Gets whether the URL fails on its own: it failed again after the host had accepted other requests since its
    /// first failure, so its failures are not the host's.
    /// </summary>
    public readonly bool FailsAlone => Failures >= 2 && LastFailureAccepts > FirstFailureAccepts;
}

/// <summary>
/// A bounded map from a URL's key to what the host remembers about it, least recently used out first, so that a
/// million URLs to one host cost at most <see cref="Capacity"/> records.
/// </summary>
/// <remarks>
/// Not thread-safe: the owning host calls it under its lock. A forgotten URL is a URL never seen: its next attempt
/// counts as fresh evidence, which errs on the side of the host's own trouble only as much as forgetting allows.
/// Key 0 is "no key" and is never stored.
/// </remarks>
internal sealed class UrlLedger
{
    private readonly Dictionary<long, LinkedListNode<Entry>> _map;
    private readonly LinkedList<Entry> _order = new();

    public UrlLedger(int capacity = EvidenceDefaults.LedgerCapacity)
    {
        Debug.Assert(capacity > 0, "A ledger holds at least one URL.");
        Capacity = capacity;
        _map = new Dictionary<long, LinkedListNode<Entry>>(Math.Min(capacity, 64));
    }

    /// <summary>Gets the most URLs remembered at once.</summary>
    public int Capacity { get; }

    /// <summary>Gets how many URLs are remembered.</summary>
    public int Count => _map.Count;

    /// <summary>Gets the URL's record, or false when it is not remembered; marks it as recently used.</summary>
    public bool TryGet(long key, out UrlRecord record)
    {
        if (key != 0 && _map.TryGetValue(key, out var node))
        {
            Touch(node);
            record = node.Value.Record;
            return true;
        }

        record = default;
        return false;
    }

    /// <summary>Stores the URL's record, dropping the least recently used URL when full.</summary>
    public void Set(long key, in UrlRecord record)
    {
        if (key == 0)
        {
            return;
        }

        if (_map.TryGetValue(key, out var node))
        {
            node.ValueRef.Record = record;
            Touch(node);
            return;
        }

        if (_map.Count >= Capacity)
        {
            // Reuse the evicted node: a full ledger allocates nothing per new URL.
            node = _order.Last!;
            _order.RemoveLast();
            _map.Remove(node.Value.Key);
            node.ValueRef = new Entry(key, record);
        }
        else
        {
            node = new LinkedListNode<Entry>(new Entry(key, record));
        }

        _order.AddFirst(node);
        _map.Add(key, node);
    }

    /// <summary>Forgets the URL.</summary>
    public void Remove(long key)
    {
        if (_map.Remove(key, out var node))
        {
            _order.Remove(node);
        }
    }

    private void Touch(LinkedListNode<Entry> node)
    {
        if (node != _order.First)
        {
            _order.Remove(node);
            _order.AddFirst(node);
        }
    }

    private struct Entry
    {
        public Entry(long key, UrlRecord record)
        {
            Key = key;
            Record = record;
        }

        public long Key;
        public UrlRecord Record;
    }
}
