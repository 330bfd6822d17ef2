namespace Reprise.Hosts;

/// <summary>What one attempt told us about its host, as shared with other processes.</summary>
public enum SharedHostOutcome
{
    /// <summary>The host answered: any response but a failure or a throttle.</summary>
    Accepted,

    /// <summary>The host failed or timed out.</summary>
    Failed,

    /// <summary>The host throttled (429, or 503 with Retry-After).</summary>
    Throttled,

    /// <summary>The attempt was cancelled: it says nothing about the host.</summary>
    Cancelled,
}
