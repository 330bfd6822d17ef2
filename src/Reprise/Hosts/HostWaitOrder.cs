namespace Reprise.Hosts;

/// <summary>
/// Who goes first when a busy host has room again: the one rule, kept apart so that it can be replaced.
/// </summary>
/// <remarks>
/// Requests whose first attempt was sent go ahead of fresh ones: their deadline is running, while a request not yet
/// sent has not started its clock. Without that, a retry behind thousands of fresh requests for a rate-limited host ran
/// out of deadline in the line.
/// </remarks>
internal static class HostWaitOrder
{
    /// <summary>Gets whether a request goes in the first lane: it was sent before.</summary>
    public static bool GoesFirst(Bulk.BulkWorkItem item) => item.FirstSent != 0;

    /// <summary>Gets whether a request waiting in the host's concurrency line (the handler's) goes in the first lane: a retry.</summary>
    public static bool GoesFirst(bool isRetry) => isRetry;
}
