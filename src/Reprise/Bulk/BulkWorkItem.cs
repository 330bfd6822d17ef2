using Reprise.Hosts;
using Reprise.Hosts.Evidence;
using Reprise.Retry;

namespace Reprise.Bulk;

/// <summary>Where a request in progress is waiting, for the progress counters.</summary>
internal enum BulkWaitKind
{
    None,
    Retry,
    Host,
}

/// <summary>
/// One input request in progress: the state carried between its attempts. It is all a waiting request costs; no
/// task, timer or message is held while it waits.
/// </summary>
internal sealed class BulkWorkItem
{
    private RetryHistory? _history;

    public BulkWorkItem(BulkRequest request, Uri uri, bool hasIdempotencyKey, long started)
    {
        Request = request;
        Uri = uri;
        HasIdempotencyKey = hasIdempotencyKey;
        Started = started;
    }

    public BulkRequest Request { get; }

    public Uri Uri { get; }

    public bool HasIdempotencyKey { get; }

    /// <summary>Gets when the engine read the request, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long Started { get; }

    /// <summary>
    /// Gets or sets when the request's first attempt was sent, as a <see cref="TimeProvider"/> timestamp; zero before.
    /// Requests already sent go ahead of fresh ones when a host frees a slot (<see cref="Hosts.HostWaitOrder"/>).
    /// </summary>
    public long FirstSent { get; set; }

    /// <summary>
    /// Gets or sets when a worker first took the request (its first attempt, or its host's first refusal), as a
    /// <see cref="TimeProvider"/> timestamp; zero before. The deadline runs from here, so a request its host keeps
    /// refusing still ends by its deadline; time queued in the input before a worker took it is the engine's own.
    /// </summary>
    public long FirstTaken { get; set; }

    /// <summary>Gets or sets what the request tells its host about its own attempts (its key and their outcomes).</summary>
    public UrlHistory UrlHistory { get; set; }

    /// <summary>Gets or sets when the request began to wait for its host's open circuit, if it does.</summary>
    public CircuitWait CircuitWait { get; set; } = CircuitWait.None;

    /// <summary>
    /// Gets the request's history, made when a worker first needs it. A request read ahead waits in the ready queue
    /// until a worker is free, and every object it holds there lives long enough for the garbage collector to copy it.
    /// </summary>
    public RetryHistory History => _history ??= new();

    /// <summary>Gets or sets how many attempts were sent.</summary>
    public int Attempts { get; set; }

    /// <summary>Gets or sets the wait before the next attempt, for decorrelated jitter.</summary>
    public TimeSpan PreviousDelay { get; set; }

    /// <summary>Gets or sets when the request began to wait for its host for the next attempt; zero when it is not.</summary>
    public long HostWaitStarted { get; set; }

    /// <summary>Gets or sets whether the host's retry throttle already counted the pending retry when it held it back.</summary>
    public bool RetryCounted { get; set; }

    /// <summary>Gets or sets whether the request was counted in <see cref="BulkCounters.Retrying"/>.</summary>
    public bool Retrying { get; set; }

    /// <summary>
    /// Gets or sets the host whose line this request leads: it alone asks the busy host again, for the requests
    /// queued behind it. Null when it leads no line.
    /// </summary>
    public string? LeadsLineOf { get; set; }

    /// <summary>Gets or sets the host this request is parked for (counted busy by it), or null.</summary>
    public Hosts.HostState? ParkedOn { get; set; }

    /// <summary>Gets or sets what the request waits for in the delay queue.</summary>
    public BulkWaitKind Waiting { get; set; }
}
