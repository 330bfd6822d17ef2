namespace Reprise.Bulk;

/// <summary>One request of a bulk run: a URL and, optionally, a method, headers, a body and an id of the caller's.</summary>
/// <remarks>
/// The URL is kept as the caller's string: a malformed, relative or non-HTTP one becomes a result with
/// <see cref="BulkOutcome.InvalidInput"/>, never an exception, so one bad line never stops a run. Every attempt sends
/// a fresh message built from these values; share one <see cref="Headers"/> list between requests freely.
/// </remarks>
public sealed class BulkRequest
{
    /// <summary>Initializes a new instance of the <see cref="BulkRequest"/> class.</summary>
    /// <param name="url">The absolute <c>http</c> or <c>https</c> URL; checked when the engine reads it.</param>
    public BulkRequest(string url)
    {
        Url = url;
    }

    /// <summary>Gets the URL as the caller gave it.</summary>
    public string Url { get; }

    /// <summary>Gets the caller's id of the request, returned in its result.</summary>
    /// <value>The default value is null.</value>
    public string? Id { get; init; }

    /// <summary>Gets the request method.</summary>
    /// <value>The default value is <see cref="HttpMethod.Get"/>. POST and PATCH are retried only as <see cref="RepriseOptions"/> allows.</value>
    public HttpMethod Method { get; init; } = HttpMethod.Get;

    /// <summary>Gets the request headers, content headers (such as <c>Content-Language</c>) included.</summary>
    /// <value>The default value is null: no headers of the caller's.</value>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    /// <summary>Gets the request body, sent again on each attempt.</summary>
    /// <value>The default value is null: no body.</value>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>Gets the media type of <see cref="Body"/>, such as <c>application/json</c>.</summary>
    /// <value>The default value is null.</value>
    public string? ContentType { get; init; }
}
