namespace Reprise.Retry;

/// <summary>Where the wait after an attempt came from.</summary>
public enum RetryWaitSource
{
    /// <summary>No wait followed the attempt: it was the last one.</summary>
    None,

    /// <summary>The backoff computed the wait.</summary>
    Backoff,

    /// <summary>The server's <c>Retry-After</c> header set the wait.</summary>
    RetryAfter,
}
