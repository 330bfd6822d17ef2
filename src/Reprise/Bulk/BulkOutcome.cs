namespace Reprise.Bulk;

/// <summary>How one request of a bulk run ended.</summary>
public enum BulkOutcome
{
    /// <summary>The final response has a 2xx or 3xx status and its body was handled.</summary>
    Succeeded,

    /// <summary>
    /// The request ended without success: a final 4xx or 5xx status, attempts exhausted, the deadline, a host that
    /// refused it, a transport error or a body that could not be handled. <see cref="BulkResult.Error"/> says which.
    /// </summary>
    Failed,

    /// <summary>The input could not be sent: a malformed, relative or non-HTTP URL, or a header that is not valid.</summary>
    InvalidInput,

    /// <summary>The run was cancelled before the request ended.</summary>
    Cancelled,
}
