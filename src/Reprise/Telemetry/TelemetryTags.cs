using System.Globalization;
using Reprise.Hosts;
using Reprise.Retry;

namespace Reprise.Telemetry;

/// <summary>
/// Tag names (OpenTelemetry semantic conventions where one exists, <c>reprise.*</c> otherwise) and their values,
/// as constant or cached strings so that recording allocates no string.
/// </summary>
internal static class TelemetryTags
{
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string RequestMethod = "http.request.method";
    public const string ResponseStatusCode = "http.response.status_code";
    public const string ErrorType = "error.type";
    public const string ResendCount = "http.request.resend_count";
    public const string UrlFull = "url.full";

    public const string AttemptOutcome = "reprise.attempt.outcome";
    public const string RetryReason = "reprise.retry.reason";
    public const string DelaySource = "reprise.retry.delay_source";
    public const string StopReason = "reprise.stop_reason";
    public const string CircuitState = "reprise.circuit.state";
    public const string HostRegistry = "reprise.host_registry";

    private const int MinStatus = 100;
    private static readonly string[] StatusCodes = CreateStatusCodes();

    /// <summary>The method as OpenTelemetry wants it: one of the RFC 9110 methods and PATCH, else <c>_OTHER</c>.</summary>
    public static string Method(HttpMethod method) => method.Method switch
    {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "CONNECT" => "CONNECT",
        "OPTIONS" => "OPTIONS",
        "TRACE" => "TRACE",
        "PATCH" => "PATCH",
        _ => "_OTHER",
    };

    /// <summary>A status code as text, from a cache (100-999).</summary>
    public static string Status(int statusCode)
        => statusCode is >= MinStatus and < MinStatus + 900 ? StatusCodes[statusCode - MinStatus] : statusCode.ToString(CultureInfo.InvariantCulture);

    public static string Outcome(AttemptOutcome outcome) => outcome switch
    {
        Telemetry.AttemptOutcome.Final => "final",
        Telemetry.AttemptOutcome.Retryable => "retryable",
        Telemetry.AttemptOutcome.Error => "error",
        _ => "cancelled",
    };

    public static string Source(RetryWaitSource source) => source switch
    {
        RetryWaitSource.RetryAfter => "retry_after",
        RetryWaitSource.Backoff => "backoff",
        _ => "none",
    };

    public static string Stop(RetryStopReason reason) => reason switch
    {
        RetryStopReason.Completed => "completed",
        RetryStopReason.AttemptsExhausted => "attempts_exhausted",
        RetryStopReason.DeadlineExceeded => "deadline_exceeded",
        RetryStopReason.RetryAfterTooLong => "retry_after_too_long",
        RetryStopReason.BodyNotReplayable => "body_not_replayable",
        RetryStopReason.MethodNotIdempotent => "method_not_idempotent",
        RetryStopReason.RetryBudgetExhausted => "retry_budget_exhausted",
        RetryStopReason.CircuitOpen => "circuit_open",
        RetryStopReason.NonRetryableError => "non_retryable_error",
        RetryStopReason.Cancelled => "cancelled",
        RetryStopReason.TooManyRedirects => "too_many_redirects",
        RetryStopReason.RedirectLoop => "redirect_loop",
        RetryStopReason.InsecureRedirect => "insecure_redirect",
        RetryStopReason.BodyTooLarge => "body_too_large",
        _ => "none",
    };

    public static string Circuit(HostCircuitState state) => state switch
    {
        HostCircuitState.Open => "open",
        HostCircuitState.HalfOpen => "half_open",
        _ => "closed",
    };

    /// <summary>Splits a registry's host key (scheme://host:port) into <c>server.address</c> and <c>server.port</c>.</summary>
    public static (string Address, int Port) SplitHostKey(string key)
    {
        var start = key.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? key.AsSpan() : key.AsSpan(start + 3);
        var colon = rest.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return (rest.ToString(), 0);
        }

        return (rest[..colon].Trim("[]").ToString(), port);
    }

    private static string[] CreateStatusCodes()
    {
        var codes = new string[900];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = (MinStatus + i).ToString(CultureInfo.InvariantCulture);
        }

        return codes;
    }
}
