using Microsoft.Extensions.Logging;

namespace Reprise.Telemetry;

/// <summary>
/// Every log event of Reprise, source-generated. Levels: Debug per attempt and per host pause or throttled retry,
/// Information per retry and circuit change, Warning only when a request gives up while it still wanted to retry.
/// URLs are passed in already stripped of user information and, unless the user opted in, of the query string.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "AttemptEnded", Level = LogLevel.Debug,
        Message = "Attempt {AttemptNumber} of {HttpMethod} {Url} ended {Outcome} with {Result} in {DurationMs:0.#} ms, after {HostWaitMs:0.#} ms waiting for the host")]
    public static partial void AttemptEnded(ILogger logger, int attemptNumber, string httpMethod, string url, string outcome, string result, double durationMs, double hostWaitMs);

    [LoggerMessage(EventId = 2, EventName = "RetryScheduled", Level = LogLevel.Information,
        Message = "Retrying {HttpMethod} {Url} after attempt {AttemptNumber} ended with {Result} ({RetryReason}): waiting {DelayMs:0.#} ms ({DelaySource})")]
    public static partial void RetryScheduled(ILogger logger, string httpMethod, string url, int attemptNumber, string result, string retryReason, double delayMs, string delaySource);

    [LoggerMessage(EventId = 3, EventName = "RetriesExhausted", Level = LogLevel.Warning,
        Message = "{HttpMethod} {Url} gave up after {Attempts} attempt(s) in {ElapsedMs:0.#} ms ({StopReason}); the last ended with {Result}")]
    public static partial void RetriesExhausted(ILogger logger, string httpMethod, string url, int attempts, double elapsedMs, string stopReason, string result);

    [LoggerMessage(EventId = 4, EventName = "RetryNotAllowed", Level = LogLevel.Information,
        Message = "{HttpMethod} {Url} was not retried after {Result} ({StopReason})")]
    public static partial void RetryNotAllowed(ILogger logger, string httpMethod, string url, string result, string stopReason);

    [LoggerMessage(EventId = 10, EventName = "HostPaused", Level = LogLevel.Debug,
        Message = "Host {Host} paused for {PauseMs:0.#} ms on the server's Retry-After")]
    public static partial void HostPaused(ILogger logger, string host, double pauseMs);

    [LoggerMessage(EventId = 11, EventName = "RetryThrottled", Level = LogLevel.Debug,
        Message = "Host {Host} held a retry back: its retry budget is exhausted")]
    public static partial void RetryThrottled(ILogger logger, string host);

    [LoggerMessage(EventId = 12, EventName = "CircuitChanged", Level = LogLevel.Information,
        Message = "Host {Host} circuit {FromState} -> {ToState}")]
    public static partial void CircuitChanged(ILogger logger, string host, string fromState, string toState);
}
