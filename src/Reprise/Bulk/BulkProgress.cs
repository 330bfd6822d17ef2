namespace Reprise.Bulk;

/// <summary>
/// A snapshot of a bulk engine's counters, for a progress display. The counts are read one by one while the run
/// goes on, so they agree with each other only approximately.
/// </summary>
public sealed class BulkProgress
{
    internal BulkProgress(long read, long succeeded, long failed, long invalid, long cancelled, long retrying, long inFlight, long waitingForRetry, long waitingForHost, long retriesSent)
    {
        Read = read;
        Succeeded = succeeded;
        Failed = failed;
        InvalidInput = invalid;
        Cancelled = cancelled;
        Retrying = retrying;
        InFlight = inFlight;
        WaitingForRetry = waitingForRetry;
        WaitingForHost = waitingForHost;
        RetriesSent = retriesSent;
    }

    /// <summary>Gets how many input requests were read.</summary>
    public long Read { get; }

    /// <summary>Gets how many requests have a result: <see cref="Succeeded"/>, <see cref="Failed"/>, <see cref="InvalidInput"/> and <see cref="Cancelled"/>.</summary>
    public long Done => Succeeded + Failed + InvalidInput + Cancelled;

    /// <summary>Gets how many requests succeeded.</summary>
    public long Succeeded { get; }

    /// <summary>Gets how many requests failed.</summary>
    public long Failed { get; }

    /// <summary>Gets how many inputs were invalid.</summary>
    public long InvalidInput { get; }

    /// <summary>Gets how many requests were cancelled.</summary>
    public long Cancelled { get; }

    /// <summary>Gets how many requests in progress have had a failed attempt and are being retried.</summary>
    public long Retrying { get; }

    /// <summary>Gets how many attempts are in flight (sending, or reading a body).</summary>
    public long InFlight { get; }

    /// <summary>Gets how many requests wait for their next attempt (backoff or <c>Retry-After</c>), holding no worker.</summary>
    public long WaitingForRetry { get; }

    /// <summary>Gets how many requests wait for their host (a pause, the breaker, a limit), holding no worker.</summary>
    public long WaitingForHost { get; }

    /// <summary>Gets how many retries (attempts after the first) were sent.</summary>
    public long RetriesSent { get; }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Done}/{Read} done: {Succeeded} ok, {Failed} failed, {InvalidInput} invalid, {Cancelled} cancelled; {InFlight} in flight, {Retrying} retrying";
}
