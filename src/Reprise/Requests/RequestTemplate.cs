using System.Net.Http.Headers;
using Reprise.Retry;

namespace Reprise.Requests;

/// <summary>
/// A request as the caller gave it: method, URI, version and policy, headers and options, read before the first
/// attempt. The first attempt of a request without a body sends the caller's own message; every other attempt sends a
/// fresh message made from this template, so what an inner handler changed on a message it sent (a redirect's new URI
/// or method, a header it added) never reaches the next attempt.
/// </summary>
internal readonly struct RequestTemplate
{
    private readonly KeyValuePair<string, HeaderStringValues>[]? _headers;
    private readonly KeyValuePair<string, object?>[]? _options;

    private RequestTemplate(HttpRequestMessage request)
    {
        Method = request.Method;
        RequestUri = request.RequestUri;
        Version = request.Version;
        VersionPolicy = request.VersionPolicy;

        // Copied only when there are some: most requests carry no options of their own, many no headers.
        var headers = request.Headers.NonValidated;
        if (headers.Count > 0)
        {
            _headers = new KeyValuePair<string, HeaderStringValues>[headers.Count];
            var i = 0;
            foreach (var header in headers)
            {
                _headers[i++] = header;
            }
        }

        var options = (IDictionary<string, object?>)request.Options;
        if (options.Count > 0)
        {
            _options = new KeyValuePair<string, object?>[options.Count];
            options.CopyTo(_options, 0);
        }
    }

    public HttpMethod Method { get; }

    public Uri? RequestUri { get; }

    public Version Version { get; }

    public HttpVersionPolicy VersionPolicy { get; }

    /// <summary>Gets whether the request carries an <c>Idempotency-Key</c> header.</summary>
    public bool HasIdempotencyKey
    {
        get
        {
            foreach (var header in _headers ?? [])
            {
                if (string.Equals(header.Key, RetryPolicy.IdempotencyKeyHeader, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }

    public static RequestTemplate Capture(HttpRequestMessage request) => new(request);

    /// <summary>Makes a fresh message for one attempt, with <paramref name="content"/> as its body.</summary>
    public HttpRequestMessage Create(HttpContent? content)
    {
        var message = new HttpRequestMessage(Method, RequestUri)
        {
            Version = Version,
            VersionPolicy = VersionPolicy,
            Content = content,
        };

        foreach (var header in _headers ?? [])
        {
            if (header.Value.Count == 1)
            {
                // One value is held as a string: added as it is, without enumerating it.
                message.Headers.TryAddWithoutValidation(header.Key, header.Value.ToString());
            }
            else
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (_options is not null)
        {
            var options = (IDictionary<string, object?>)message.Options;
            foreach (var option in _options)
            {
                options[option.Key] = option.Value;
            }
        }

        return message;
    }
}
