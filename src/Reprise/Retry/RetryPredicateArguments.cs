namespace Reprise.Retry;

/// <summary>What a caller's own retry rule (<see cref="RepriseOptions.ShouldRetry"/>) sees of one attempt.</summary>
public readonly struct RetryPredicateArguments
{
    internal RetryPredicateArguments(HttpRequestMessage request, int attemptNumber, HttpResponseMessage? response, Exception? exception)
    {
        Request = request;
        AttemptNumber = attemptNumber;
        Response = response;
        Exception = exception;
    }

    /// <summary>Gets the caller's request.</summary>
    public HttpRequestMessage Request { get; }

    /// <summary>Gets the number of the attempt that just ended; the first try is 1.</summary>
    public int AttemptNumber { get; }

    /// <summary>Gets the response, or null when the attempt failed without one.</summary>
    public HttpResponseMessage? Response { get; }

    /// <summary>Gets the attempt's error, or null when a response came back.</summary>
    public Exception? Exception { get; }
}
