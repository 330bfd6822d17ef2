namespace Reprise.Bulk;

/// <summary>What is checked of an input request before it is accepted, and the message each attempt sends.</summary>
internal sealed partial class BulkRun
{
    /// <summary>Checks what can be checked before sending: the URL, the method and the headers.</summary>
    private string? Validate(BulkRequest request, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(request.Url))
        {
            return "The URL is empty.";
        }

        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var parsed))
        {
            return "The URL is not a valid absolute URL.";
        }

        // On Unix "/x" parses as an absolute file URI: the scheme check turns it away too.
        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            return $"The URL's scheme must be http or https; it is {parsed.Scheme}.";
        }

        if (request.Method is null)
        {
            return "The request has no method.";
        }

        if (request.Headers is { Count: > 0 } headers && !ReferenceEquals(headers, _lastValidHeaders))
        {
            if (ValidateHeaders(headers) is { } error)
            {
                return error;
            }

            // Many inputs share one header list (the CLI's -H): it is checked once. Only the pump writes this.
            _lastValidHeaders = headers;
        }

        uri = parsed;
        return null;
    }

    private static string? ValidateHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        using var probe = new HttpRequestMessage { Content = new ByteArrayContent([]) };
        for (var i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers[i];

            // The handler would refuse these at send time, as a transport error that would be retried in vain.
            if (string.IsNullOrEmpty(name) || value is null || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                return $"The header '{name}' has no name or a value with a line break or NUL.";
            }

            if (!probe.Headers.TryAddWithoutValidation(name, value) && !probe.Content.Headers.TryAddWithoutValidation(name, value))
            {
                return $"The header '{name}' is not a valid header name.";
            }
        }

        return null;
    }

    private static bool HasIdempotencyKey(BulkRequest request)
    {
        if (request.Headers is { } headers)
        {
            for (var i = 0; i < headers.Count; i++)
            {
                if (string.Equals(headers[i].Key, IdempotencyKeyHeader, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Builds the fresh message of one attempt: no attempt reuses a sent message.</summary>
    private static HttpRequestMessage BuildMessage(BulkWorkItem item)
    {
        var request = item.Request;
        var message = new HttpRequestMessage(request.Method, item.Uri);
        if (request.Body is { } body)
        {
            message.Content = new ReadOnlyMemoryContent(body);
            if (request.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (request.Headers is { } headers)
        {
            for (var i = 0; i < headers.Count; i++)
            {
                var (name, value) = headers[i];

                // A content header goes with the body; without a body it has nothing to describe and is left out.
                if (!message.Headers.TryAddWithoutValidation(name, value))
                {
                    message.Content?.Headers.TryAddWithoutValidation(name, value);
                }
            }
        }

        return message;
    }
}
