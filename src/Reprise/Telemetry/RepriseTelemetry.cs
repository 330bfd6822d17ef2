using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reprise.Hosts;
using Reprise.Retry;

namespace Reprise.Telemetry;

/// <summary>
/// The logs, metrics and traces of one handler or bulk engine (and of the host registries it attaches to). Each method checks
/// whether anyone listens before it computes a tag or a string, so an unobserved request pays a few branches.
/// </summary>
internal sealed class RepriseTelemetry : IHostObserver
{
    public const string ActivitySourceName = "Reprise";
    public const string AttemptActivityName = "reprise.attempt";
    public const string HandlerCategory = "Reprise.RepriseHandler";
    public const string BulkEngineCategory = "Reprise.Bulk.BulkEngine";

    private readonly RepriseTelemetryOptions _options;

    private RepriseTelemetry(RepriseTelemetryOptions options, RepriseMetrics metrics, ILoggerFactory? loggerFactory, string category)
    {
        _options = options;
        Metrics = metrics;
        Logger = loggerFactory?.CreateLogger(category) ?? NullLogger.Instance;
        HostLogger = loggerFactory?.CreateLogger("Reprise.Hosts.HostRegistry") ?? NullLogger.Instance;
    }

    /// <summary>Gets the source of the per-attempt activities.</summary>
    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName, typeof(RepriseTelemetry).Assembly.GetName().Version?.ToString());

    public RepriseMetrics Metrics { get; }

    public ILogger Logger { get; }

    public ILogger HostLogger { get; }

    /// <summary>Creates telemetry; factories set in the options win over those from dependency injection.</summary>
    /// <param name="options">The user's telemetry options; the defaults when null.</param>
    /// <param name="meterFactory">The container's meter factory, if any.</param>
    /// <param name="loggerFactory">The container's logger factory, if any.</param>
    /// <param name="category">The category of the request logs: the handler's or the bulk engine's.</param>
    public static RepriseTelemetry Create(
        RepriseTelemetryOptions? options, IMeterFactory? meterFactory = null, ILoggerFactory? loggerFactory = null, string category = HandlerCategory)
    {
        options ??= new RepriseTelemetryOptions();
        return new RepriseTelemetry(options, RepriseMetrics.For(options.MeterFactory ?? meterFactory), options.LoggerFactory ?? loggerFactory, category);
    }

    /// <summary>
    /// Reports the hosts of <paramref name="registry"/> in the gauges, and its events here unless a telemetry with the same
    /// meters and host logger already hears them (which would count each event twice).
    /// </summary>
    public void Observe(HostRegistry registry, string? registryName = null)
    {
        Metrics.Track(registry, registryName);
        registry.AttachObserver(this, (Metrics, HostLogger));
    }

    public Activity? StartAttempt(HttpMethod method, Uri uri, int attempt)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        var activity = ActivitySource.StartActivity(AttemptActivityName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryTags.RequestMethod, TelemetryTags.Method(method));
            activity.SetTag(TelemetryTags.ServerAddress, uri.Host);
            activity.SetTag(TelemetryTags.ServerPort, uri.Port);
            if (_options.IncludeUrl)
            {
                activity.SetTag(TelemetryTags.UrlFull, FormatUrl(uri));
            }

            if (attempt > 1)
            {
                // OpenTelemetry: the ordinal of the resend; absent on the first try.
                activity.SetTag(TelemetryTags.ResendCount, attempt - 1);
            }
        }

        return activity;
    }

    public void AttemptEnded(Activity? activity, HttpMethod method, Uri uri, AttemptRecord record, AttemptOutcome outcome)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryTags.AttemptOutcome, TelemetryTags.Outcome(outcome));
            if (record.StatusCode is { } status)
            {
                activity.SetTag(TelemetryTags.ResponseStatusCode, (int)status);
            }

            if (ErrorType(record) is { } errorType)
            {
                activity.SetTag(TelemetryTags.ErrorType, errorType);
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }

        if (Metrics.Attempts.Enabled)
        {
            var tags = CommonTags(method, uri);
            tags.Add(TelemetryTags.AttemptOutcome, TelemetryTags.Outcome(outcome));
            AddResult(ref tags, record);
            Metrics.Attempts.Add(1, tags);
        }

        if (Logger.IsEnabled(LogLevel.Debug))
        {
            Log.AttemptEnded(
                Logger, record.Number, TelemetryTags.Method(method), FormatUrl(uri), TelemetryTags.Outcome(outcome), Result(record),
                record.Duration.TotalMilliseconds, record.HostWait.TotalMilliseconds);
        }
    }

    /// <summary>Reports a retry, once the wait after <paramref name="record"/> is known.</summary>
    public void Retrying(HttpMethod method, Uri uri, AttemptRecord record, StatusCodeSet retryOn)
    {
        if (Metrics.Retries.Enabled)
        {
            var tags = CommonTags(method, uri);
            tags.Add(TelemetryTags.RetryReason, RetryReason(record, retryOn));
            AddResult(ref tags, record);
            Metrics.Retries.Add(1, tags);
        }

        if (Metrics.RetryDelay.Enabled)
        {
            var tags = CommonTags(method, uri);
            tags.Add(TelemetryTags.DelaySource, TelemetryTags.Source(record.DelaySource));
            Metrics.RetryDelay.Record(record.Delay.TotalSeconds, tags);
        }

        if (Logger.IsEnabled(LogLevel.Information))
        {
            Log.RetryScheduled(
                Logger, TelemetryTags.Method(method), FormatUrl(uri), record.Number, Result(record), RetryReason(record, retryOn),
                record.Delay.TotalMilliseconds, TelemetryTags.Source(record.DelaySource));
        }
    }

    /// <summary>Reports the end of a request, whatever the way it ended.</summary>
    public void RequestEnded(HttpMethod method, Uri uri, RetryHistory history)
    {
        var last = history.LastAttempt;
        if (Metrics.Requests.Enabled)
        {
            var tags = CommonTags(method, uri);
            tags.Add(TelemetryTags.StopReason, TelemetryTags.Stop(history.StopReason));
            if (last is not null)
            {
                AddResult(ref tags, last);
            }

            Metrics.Requests.Add(1, tags);
        }

        switch (history.StopReason)
        {
            case RetryStopReason.AttemptsExhausted or RetryStopReason.DeadlineExceeded or RetryStopReason.RetryAfterTooLong
                or RetryStopReason.RetryBudgetExhausted or RetryStopReason.CircuitOpen when Logger.IsEnabled(LogLevel.Warning):
                Log.RetriesExhausted(
                    Logger, TelemetryTags.Method(method), FormatUrl(uri), history.Count, history.Elapsed.TotalMilliseconds,
                    TelemetryTags.Stop(history.StopReason), last is null ? "no response" : Result(last));
                break;

            case RetryStopReason.MethodNotIdempotent or RetryStopReason.BodyNotReplayable when Logger.IsEnabled(LogLevel.Information):
                Log.RetryNotAllowed(
                    Logger, TelemetryTags.Method(method), FormatUrl(uri), last is null ? "no response" : Result(last), TelemetryTags.Stop(history.StopReason));
                break;
        }
    }

    void IHostObserver.OnPaused(string host, TimeSpan pause)
    {
        if (Metrics.HostPauses.Enabled)
        {
            Metrics.HostPauses.Record(pause.TotalSeconds, HostTags(host));
        }

        if (HostLogger.IsEnabled(LogLevel.Debug))
        {
            Log.HostPaused(HostLogger, host, pause.TotalMilliseconds);
        }
    }

    void IHostObserver.OnRetryThrottled(string host)
    {
        if (Metrics.RetryBudgetRefusals.Enabled)
        {
            Metrics.RetryBudgetRefusals.Add(1, HostTags(host));
        }

        if (HostLogger.IsEnabled(LogLevel.Debug))
        {
            Log.RetryThrottled(HostLogger, host);
        }
    }

    void IHostObserver.OnCircuitChanged(string host, HostCircuitState from, HostCircuitState to)
    {
        if (Metrics.CircuitTransitions.Enabled)
        {
            var tags = HostTags(host);
            tags.Add(TelemetryTags.CircuitState, TelemetryTags.Circuit(to));
            Metrics.CircuitTransitions.Add(1, tags);
        }

        if (HostLogger.IsEnabled(LogLevel.Information))
        {
            Log.CircuitChanged(HostLogger, host, TelemetryTags.Circuit(from), TelemetryTags.Circuit(to));
        }
    }

    /// <summary>The URL as logs and traces may show it: never user information; the query only when opted in.</summary>
    internal string FormatUrl(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return "(relative)";
        }

        var parts = !_options.IncludeUrl ? UriComponents.SchemeAndServer
            : _options.IncludeUrlQuery ? UriComponents.HttpRequestUrl
            : UriComponents.SchemeAndServer | UriComponents.Path;
        return uri.GetComponents(parts, UriFormat.UriEscaped);
    }

    private static string RetryReason(AttemptRecord record, StatusCodeSet retryOn)
    {
        if (record.StatusCode is { } status)
        {
            return retryOn.Contains((int)status) ? "status_code" : "custom";
        }

        return record.ErrorType == AttemptClassifier.TimeoutErrorType ? "timeout"
            : record.Exception is HttpRequestException or IOException ? "transport_error"
            : "custom";
    }

    /// <summary>OpenTelemetry's <c>error.type</c>: the error's short name, or the status code from 400 on.</summary>
    private static string? ErrorType(AttemptRecord record)
        => record.ErrorType ?? (record.StatusCode is { } status && (int)status >= 400 ? TelemetryTags.Status((int)status) : null);

    private static string Result(AttemptRecord record)
        => record.StatusCode is { } status ? TelemetryTags.Status((int)status) : record.ErrorType ?? "error";

    private static void AddResult(ref TagList tags, AttemptRecord record)
    {
        if (record.StatusCode is { } status)
        {
            tags.Add(TelemetryTags.ResponseStatusCode, (int)status);
        }

        if (ErrorType(record) is { } errorType)
        {
            tags.Add(TelemetryTags.ErrorType, errorType);
        }
    }

    private static TagList CommonTags(HttpMethod method, Uri uri) => new()
    {
        { TelemetryTags.ServerAddress, uri.Host },
        { TelemetryTags.ServerPort, uri.Port },
        { TelemetryTags.RequestMethod, TelemetryTags.Method(method) },
    };

    private static TagList HostTags(string host)
    {
        var (address, port) = TelemetryTags.SplitHostKey(host);
        return new TagList
        {
            { TelemetryTags.ServerAddress, address },
            { TelemetryTags.ServerPort, port },
        };
    }
}
