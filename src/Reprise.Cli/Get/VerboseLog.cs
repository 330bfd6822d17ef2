using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Reprise.Cli.Console;
using Reprise.Cli.Output;
using Reprise.Cli.Parsing;
using Reprise.Transport;

namespace Reprise.Cli.Get;

/// <summary>
/// <c>get -v</c>'s attempt and wait lines, printed as they happen: a logger factory given to the handler's telemetry
/// options, which hears the handler's own log events (an attempt ended, a retry was scheduled) and writes them on
/// stderr in one duration format. Header values never reach these events.
/// </summary>
internal sealed class VerboseLog : ILoggerFactory, ILogger
{

    private readonly TextWriter _error;
    private readonly Lock _lock = new();

    // Whether the host held this request back (a shared pause, the retry budget, the breaker) since the last attempt.
    // An attempt's host wait also counts the time to take a free permit, which the first call spends compiling: only
    // a real hold is worth a word.
    private bool _hostHeld;

    public VerboseLog(TextWriter error)
    {
        _error = error;
    }

    /// <summary>Gets how many attempt lines were written, so that the end of the call does not repeat them.</summary>
    public int AttemptsWritten { get; private set; }

    public static string AttemptLine(int number, string result, TimeSpan duration, TimeSpan hostWait)
    {
        var hostWaitText = hostWait >= TimeSpan.FromMilliseconds(1) ? $" after waiting {DurationParser.Format(hostWait)} for the host" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"< attempt {number}: {Describe(result)} in {DurationParser.Format(duration)}{hostWaitText}");
    }

    public static string WaitLine(int nextAttempt, TimeSpan delay, string source)
        => $"* waiting {DurationParser.Format(delay)} before attempt {nextAttempt.ToString(CultureInfo.InvariantCulture)} ({(source == "retry_after" ? "Retry-After" : source)})";

    /// <summary>A followed redirect: <c>* redirect 302 -> http://host/next (hop 1)</c>, the URL masked as every URL of <c>-v</c>.</summary>
    public static string RedirectLine(RedirectHop hop, int number, bool showQuery)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"* redirect {(int)hop.StatusCode} -> {ResponseHead.Escape(Secrets.ForDisplay(hop.To, showQuery))} (hop {number})");

    /// <summary>Writes the hops one attempt followed, in order.</summary>
    public void WriteRedirects(IReadOnlyList<RedirectHop> hops, bool showQuery)
    {
        lock (_lock)
        {
            for (var i = 0; i < hops.Count; i++)
            {
                _error.WriteLine(RedirectLine(hops[i], i + 1, showQuery));
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id is RepriseLogEvents.HostPaused or RepriseLogEvents.RetryThrottled or RepriseLogEvents.CircuitChanged)
        {
            lock (_lock)
            {
                _hostHeld = true;
            }

            return;
        }

        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values || eventId.Id is not (RepriseLogEvents.AttemptEnded or RepriseLogEvents.RetryScheduled))
        {
            return;
        }

        var number = Get<int>(values, "AttemptNumber");
        lock (_lock)
        {
            if (eventId.Id == RepriseLogEvents.AttemptEnded)
            {
                var hostWait = _hostHeld ? Milliseconds(values, "HostWaitMs") : TimeSpan.Zero;
                _error.WriteLine(AttemptLine(number, Get<string>(values, "Result") ?? "error", Milliseconds(values, "DurationMs"), hostWait));
                _hostHeld = false;
                AttemptsWritten++;
            }
            else
            {
                _error.WriteLine(WaitLine(number + 1, Milliseconds(values, "DelayMs"), Get<string>(values, "DelaySource") ?? "backoff"));
            }
        }
    }

    public void Dispose()
    {
    }

    private static string Describe(string result)
    {
        // A status (as text) gets its reason phrase; an error keeps its stable name (connection_refused, timeout...).
        if (int.TryParse(result, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and < 1000)
        {
            using var response = new HttpResponseMessage((HttpStatusCode)status);
            return string.IsNullOrEmpty(response.ReasonPhrase) ? result : $"{result} {response.ReasonPhrase}";
        }

        return result;
    }

    private static TimeSpan Milliseconds(IReadOnlyList<KeyValuePair<string, object?>> values, string name)
        => TimeSpan.FromMilliseconds(Get<double>(values, name));

    private static T? Get<T>(IReadOnlyList<KeyValuePair<string, object?>> values, string name)
    {
        foreach (var (key, value) in values)
        {
            if (key == name && value is T typed)
            {
                return typed;
            }
        }

        return default;
    }
}
