namespace Reprise.Hosts;

/// <summary>What one attempt told us about its host.</summary>
internal enum HostSignal
{
    /// <summary>The host accepted the request: any response but a server failure or a throttle (2xx, 3xx, most 4xx).</summary>
    Accepted,

    /// <summary>The host failed the request: a retryable 5xx without Retry-After, or a transport failure.</summary>
    Failed,

    /// <summary>The host pushed back: 429, or 503 with Retry-After.</summary>
    Throttled,

    /// <summary>The attempt timed out.</summary>
    TimedOut,

    /// <summary>The caller gave up; says nothing about the host.</summary>
    Cancelled,
}
