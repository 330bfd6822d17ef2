using System.Net;

namespace Reprise.Retry;

/// <summary>One attempt of a request: what came back, how long it took, and the wait that followed.</summary>
public sealed class AttemptRecord
{
    internal AttemptRecord(int number, HttpStatusCode? statusCode, Exception? exception, string? errorType, TimeSpan hostWait, TimeSpan duration)
    {
        Number = number;
        StatusCode = statusCode;
        Exception = exception;
        ErrorType = errorType;
        HostWait = hostWait;
        Duration = duration;
    }

    /// <summary>Gets the attempt's number; the first try is 1.</summary>
    public int Number { get; }

    /// <summary>Gets the response status, or null when the attempt failed without a response.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the error of an attempt that failed without a response, or null.</summary>
    public Exception? Exception { get; }

    /// <summary>
    /// Gets a short, stable name of the error, such as <c>connection_refused</c>, <c>timeout</c> or
    /// <c>response_ended</c> (OpenTelemetry's <c>error.type</c>), or null when a response came back.
    /// </summary>
    public string? ErrorType { get; }

    /// <summary>Gets how long the attempt waited for its host (a shared pause, the breaker, a limit) before sending.</summary>
    public TimeSpan HostWait { get; }

    /// <summary>Gets how long the attempt took from sending to the response headers or the error.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Gets the wait after this attempt, before the next one; zero after the last attempt.</summary>
    public TimeSpan Delay { get; internal set; }

    /// <summary>Gets where <see cref="Delay"/> came from.</summary>
    public RetryWaitSource DelaySource { get; internal set; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var outcome = StatusCode is { } status ? $"{(int)status}" : ErrorType ?? "error";
        return DelaySource == RetryWaitSource.None
            ? $"#{Number} {outcome} in {Duration.TotalMilliseconds:0} ms"
            : $"#{Number} {outcome} in {Duration.TotalMilliseconds:0} ms, waited {Delay.TotalMilliseconds:0} ms ({DelaySource})";
    }
}
