using Microsoft.Extensions.Logging;

namespace Reprise.Redis;

/// <summary>The package's log lines: one when Redis fails, one when it answers again; never one per request.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning,
        Message = "Redis failed or took longer than {TimeoutMs} ms ({ErrorType}); hosts' state stays local until it answers again")]
    public static partial void RedisDown(ILogger logger, double timeoutMs, string errorType, Exception exception);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Redis answers again; hosts' state is shared again")]
    public static partial void RedisRejoined(ILogger logger);
}
