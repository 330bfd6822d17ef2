using System.Net.Sockets;
using Reprise.Hosts;

namespace Reprise.Retry;

/// <summary>What one attempt's outcome means: may it be retried, and what does it say about the host.</summary>
internal readonly record struct AttemptVerdict(bool Retryable, HostSignal Signal, bool NeverSent, string? ErrorType);

/// <summary>Classifies attempt outcomes. Shared by the handler and the bulk engine so both retry alike.</summary>
internal static class AttemptClassifier
{
    public const string TimeoutErrorType = "timeout";

    public static AttemptVerdict ClassifyResponse(HttpResponseMessage response, RepriseOptions options, in RetryPredicateArguments arguments)
    {
        var status = (int)response.StatusCode;
        var retryable = options.RetryOn.Contains(status) || (options.ShouldRetry?.Invoke(arguments) ?? false);
        return new AttemptVerdict(retryable, SignalOf(response), NeverSent: false, ErrorType: null);
    }

    public static AttemptVerdict ClassifyException(Exception exception, RepriseOptions options, in RetryPredicateArguments arguments)
    {
        var transport = IsTransient(exception);
        var retryable = transport || (options.ShouldRetry?.Invoke(arguments) ?? false);
        var signal = exception is TimeoutException ? HostSignal.TimedOut : HostSignal.Failed;
        return new AttemptVerdict(retryable, signal, NeverSent(exception), ErrorTypeOf(exception));
    }

    /// <summary>
    /// Whether an error may pass on another try: a lost or refused connection, a failed name lookup, a response cut
    /// short or garbled, a timeout. A TLS failure, an authentication or configuration error, or a failure that a
    /// nested Reprise handler already retried fails the same way every time.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RepriseRequestException => false,

        // A body past its limit would be as large on the next try.
        Responses.ResponseBodyTooLargeException => false,
        HttpRequestException http => http.HttpRequestError is HttpRequestError.Unknown or HttpRequestError.ConnectionError
            or HttpRequestError.NameResolutionError or HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError
            or HttpRequestError.InvalidResponse or HttpRequestError.ProxyTunnelError,
        IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>What a response says about its host, whatever the caller chose to retry.</summary>
    public static HostSignal SignalOf(HttpResponseMessage response) => (int)response.StatusCode switch
    {
        429 => HostSignal.Throttled,
        503 when response.Headers.RetryAfter is not null => HostSignal.Throttled,
        501 or 505 => HostSignal.Accepted, // final answers about the request, not failures of the host
        408 or >= 500 => HostSignal.Failed,
        _ => HostSignal.Accepted,
    };

    /// <summary>Whether a method may be sent twice with the effect of once (RFC 9110 section 9.2.2).</summary>
    public static bool IsIdempotent(HttpMethod method)
        => method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            || method == HttpMethod.Trace || method == HttpMethod.Put || method == HttpMethod.Delete;

    /// <summary>Whether the failure proves no byte of the request reached a server: it is safe to send again.</summary>
    public static bool NeverSent(Exception exception)
    {
        if (exception is not HttpRequestException http)
        {
            return false;
        }

        if (http.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            return true;
        }

        return FindSocketError(exception) is SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData;
    }

    /// <summary>A short, stable name of an error, in the manner of OpenTelemetry's <c>error.type</c>.</summary>
    public static string ErrorTypeOf(Exception exception)
    {
        if (exception is TimeoutException)
        {
            return TimeoutErrorType;
        }

        switch (FindSocketError(exception))
        {
            case SocketError.ConnectionRefused:
                return "connection_refused";
            case SocketError.ConnectionReset:
                return "connection_reset";
            case SocketError.HostNotFound or SocketError.NoData:
                return "name_resolution_error";
        }

        if (exception is HttpRequestException http)
        {
            return http.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "name_resolution_error",
                HttpRequestError.ConnectionError => "connection_error",
                HttpRequestError.SecureConnectionError => "secure_connection_error",
                HttpRequestError.ResponseEnded => "response_ended",
                HttpRequestError.InvalidResponse => "invalid_response",
                HttpRequestError.HttpProtocolError => "http_protocol_error",
                HttpRequestError.ProxyTunnelError => "proxy_tunnel_error",
                HttpRequestError.ConfigurationLimitExceeded => "configuration_limit_exceeded",
                HttpRequestError.VersionNegotiationError => "version_negotiation_error",
                HttpRequestError.UserAuthenticationError => "user_authentication_error",
                _ => exception.GetType().FullName!,
            };
        }

        return exception.GetType().FullName!;
    }

    private static SocketError? FindSocketError(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }
}
