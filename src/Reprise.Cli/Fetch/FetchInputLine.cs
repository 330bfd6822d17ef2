namespace Reprise.Cli.Fetch;

/// <summary>
/// One request line of the input: a URL and an optional id, and from a JSON line a method, headers and a body too.
/// A line that cannot be a request carries <see cref="Error"/>, and <see cref="Url"/> is then only the key that names
/// it in the results (and that <c>--resume</c> matches on).
/// </summary>
internal sealed record FetchInputLine(long Line, string Url, string? Id)
{
    /// <summary>Gets the method from a JSON line, or null for the default (GET, or POST with a body).</summary>
    public string? Method { get; init; }

    /// <summary>Gets the headers from a JSON line, or null.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    /// <summary>Gets the body from a JSON line, or null.</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>Gets the body's media type from a JSON line, or null.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets why the line is not a request (it becomes an <c>invalid_input</c> result), or null.</summary>
    public string? Error { get; init; }
}
