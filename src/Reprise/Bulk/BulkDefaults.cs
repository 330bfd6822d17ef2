namespace Reprise.Bulk;

/// <summary>The defaults and bounds of <see cref="BulkOptions"/>, in one place; docs/bulk-engine.md gives the reasons.</summary>
internal static class BulkDefaults
{
    // Fifty attempts in flight keep a 2-core machine busy at a typical 50-200 ms response time (250-1,000 requests/s)
    // without exhausting sockets or CPU; each host is further held to its own adaptive limit.
    public const int MaxConcurrency = 50;
    public const int MaxConcurrencyLimit = 10_000;

    // Requests in progress include those waiting for a retry or a paused host. Ten thousand costs about 10 MB and lets
    // a host paused for a minute park its requests while the other hosts' keep flowing.
    public const int MaxPendingRequests = 10_000;
    public const int MaxPendingRequestsLimit = 10_000_000;

    // The pump reads while fewer than this many requests per worker (at least MinReadAhead) wait in the ready queue, and
    // once it is full, again when it is half empty: enough that no worker waits for the pump, few enough that requests
    // read ahead die young. Waiting requests (a retry, a paused or busy host) are not in the ready queue.
    public const int ReadAheadPerWorker = 4;
    public const int MinReadAhead = 64;

    public const long MaxBodyInMemory = 1024 * 1024;

    // Bigger than any page or API answer a bulk job fetches, small enough that a compressed bomb or an endless body
    // cannot fill a disk: 100 MiB per response. A download job raises it.
    public const long MaxBodySize = 100L * 1024 * 1024;

    // Array.MaxLength: a body kept in memory is one array.
    public const long MaxBodyInMemoryLimit = 0x7FFFFFC7;

    // The copy buffer for response bodies.
    public const int CopyBufferSize = 16 * 1024;

    // The shortest wait before asking a host again after a refusal that named no wait: never a busy loop.
    public static readonly TimeSpan MinHostWait = TimeSpan.FromMilliseconds(1);

    // Connections are renewed this often so that DNS changes are seen on long runs.
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);
}
