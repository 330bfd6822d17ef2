namespace Reprise.Telemetry;

/// <summary>How one attempt ended, as the <c>reprise.attempt.outcome</c> tag tells it.</summary>
internal enum AttemptOutcome
{
    /// <summary>A response the policy does not retry: it goes back to the caller, whatever its status.</summary>
    Final,

    /// <summary>A status, transport error or timeout that the policy retries (whether a retry was then allowed or not).</summary>
    Retryable,

    /// <summary>An error that is never retried.</summary>
    Error,

    /// <summary>The caller cancelled, or the deadline passed, during the attempt.</summary>
    Cancelled,
}
