namespace Reprise.Retry;

/// <summary>Why a request made no further attempt.</summary>
public enum RetryStopReason
{
    /// <summary>The request is still running, or ended before any attempt finished.</summary>
    None,

    /// <summary>The last response has a status that is not retried (a success, or a final status such as 404).</summary>
    Completed,

    /// <summary>Every allowed attempt failed.</summary>
    AttemptsExhausted,

    /// <summary>The next wait or attempt would have ended past the overall deadline.</summary>
    DeadlineExceeded,

    /// <summary>The server asked for a wait longer than <c>MaxRetryAfter</c>.</summary>
    RetryAfterTooLong,

    /// <summary>The request body was larger than the replay buffer, so it could be sent only once.</summary>
    BodyNotReplayable,

    /// <summary>The method is not idempotent (POST, PATCH) and nothing made a retry safe.</summary>
    MethodNotIdempotent,

    /// <summary>The host's retry budget refused the retry and the options say fail fast.</summary>
    RetryBudgetExhausted,

    /// <summary>The host's circuit is open and the options say fail fast.</summary>
    CircuitOpen,

    /// <summary>The attempt failed with an error that is never retried.</summary>
    NonRetryableError,

    /// <summary>The caller cancelled the request.</summary>
    Cancelled,

    /// <summary>A redirect would have been one more than <c>RedirectOptions.MaxRedirects</c>.</summary>
    TooManyRedirects,

    /// <summary>A redirect led back to a URL the request had already been sent to, with the same method.</summary>
    RedirectLoop,

    /// <summary>A redirect led from https to http, or to a scheme other than http and https.</summary>
    InsecureRedirect,

    /// <summary>The response body was larger than the size allowed (after decompression).</summary>
    BodyTooLarge,
}
