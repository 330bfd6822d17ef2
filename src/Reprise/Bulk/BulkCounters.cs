namespace Reprise.Bulk;

/// <summary>The live counters behind <see cref="BulkProgress"/>, updated with interlocked operations.</summary>
internal sealed class BulkCounters
{
    public long Read;
    public long Succeeded;
    public long Failed;
    public long InvalidInput;
    public long Cancelled;
    public long Retrying;
    public long InFlight;
    public long WaitingForRetry;
    public long WaitingForHost;
    public long RetriesSent;

    // Not in the public snapshot: how often a host refused a permit (tests bound the polling of busy hosts with it).
    public long HostRefusals;

    // Not in the public snapshot: requests put in the delay queue, counted once they are in it (a test's sync point).
    public long Parked;

    public BulkProgress Snapshot() => new(
        Volatile.Read(ref Read),
        Volatile.Read(ref Succeeded),
        Volatile.Read(ref Failed),
        Volatile.Read(ref InvalidInput),
        Volatile.Read(ref Cancelled),
        Volatile.Read(ref Retrying),
        Volatile.Read(ref InFlight),
        Volatile.Read(ref WaitingForRetry),
        Volatile.Read(ref WaitingForHost),
        Volatile.Read(ref RetriesSent));

    public void CountOutcome(BulkOutcome outcome)
    {
        switch (outcome)
        {
            case BulkOutcome.Succeeded:
                Interlocked.Increment(ref Succeeded);
                break;
            case BulkOutcome.Failed:
                Interlocked.Increment(ref Failed);
                break;
            case BulkOutcome.InvalidInput:
                Interlocked.Increment(ref InvalidInput);
                break;
            default:
                Interlocked.Increment(ref Cancelled);
                break;
        }
    }
}
