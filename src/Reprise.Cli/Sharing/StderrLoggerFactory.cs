using Microsoft.Extensions.Logging;

namespace Reprise.Cli.Sharing;

/// <summary>
/// Turns Reprise.Redis's log lines (one when Redis fails, one when it answers again; never one per request) into
/// <c>reprise: redis: ...</c> lines on stderr, without the exception's stack. Redis being down is said once until it
/// answers again, also when the run said so itself at start.
/// </summary>
internal sealed class StderrLoggerFactory(TextWriter error) : ILoggerFactory
{
    private const int RedisDownEvent = 100;
    private const int RedisRejoinedEvent = 101;
    private readonly Lock _lock = new();
    private bool _saidDown;

    public ILogger CreateLogger(string categoryName) => new StderrLogger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>Says that Redis cannot be reached, unless already said since it last answered.</summary>
    public void SayDown(string message) => Write(RedisDownEvent, message);

    private void Write(int eventId, string message)
    {
        // Lines come from background calls: one at a time, never torn.
        lock (_lock)
        {
            if (eventId == RedisDownEvent && _saidDown)
            {
                return;
            }

            _saidDown = eventId == RedisDownEvent || (_saidDown && eventId != RedisRejoinedEvent);
            error.WriteLine($"reprise: redis: {message.ReplaceLineEndings(" ")}");
        }
    }

    private sealed class StderrLogger(StderrLoggerFactory factory) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                factory.Write(eventId.Id, formatter(state, exception));
            }
        }
    }
}
