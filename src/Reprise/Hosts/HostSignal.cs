namespace Reprise.Hosts;

/// <summary>What one attempt told us about its host (<c>AttemptClassifier.SignalOf</c> and <c>ClassifyException</c> decide it).</summary>
internal enum HostSignal
{
    /// <summary>The host accepted the request: any response but a failure or a throttle (2xx, 3xx, most 4xx, and 501 and 505, which are final answers about the request).</summary>
    Accepted,

    /// <summary>
    /// The host failed the request: a 408 or a 5xx (but 501, 505 and a 503 with Retry-After), whether or not the caller
    /// retries it, or an error other than a timeout (a lost or refused connection, a garbled response, ...).
    /// </summary>
    Failed,

    /// <summary>The host pushed back: 429, or 503 with Retry-After.</summary>
    Throttled,

    /// <summary>The attempt timed out.</summary>
    TimedOut,

    /// <summary>The caller gave up; says nothing about the host.</summary>
    Cancelled,
}
