namespace Reprise.Retry;

/// <summary>
/// Thrown when a request ends without a response: its attempts failed on transport errors or timeouts and no
/// further attempt was allowed. <see cref="Exception.InnerException"/> is the last attempt's error.
/// </summary>
public sealed class RepriseRequestException : HttpRequestException
{
    internal RepriseRequestException(RetryHistory history, Exception? innerException)
        : base(
            (innerException as HttpRequestException)?.HttpRequestError ?? HttpRequestError.Unknown,
            CreateMessage(history, innerException),
            innerException)
    {
        History = history;
    }

    /// <summary>Gets every attempt and why the request stopped.</summary>
    public RetryHistory History { get; }

    /// <summary>Gets why no further attempt was made.</summary>
    public RetryStopReason StopReason => History.StopReason;

    private static string CreateMessage(RetryHistory history, Exception? innerException)
    {
        ArgumentNullException.ThrowIfNull(history);
        return $"The request failed after {history.Count} attempt(s) ({history.StopReason}): {innerException?.Message}";
    }
}
