using System.Globalization;
using System.Runtime.CompilerServices;

namespace Reprise.Cli.Fetch;

/// <summary>
/// Reads the input of <c>reprise fetch</c> lazily and with bounded memory. A plain line is an absolute http(s) URL,
/// optionally followed by whitespace and an id; a line starting with <c>{</c> is a JSON object
/// (<see cref="FetchJsonLineParser"/>); blank lines and lines starting with <c>#</c> are skipped. A line that is
/// not a request comes back with an error, so it gets one <c>invalid_input</c> result and the run goes on.
/// </summary>
internal static class FetchInputReader
{
    public static async IAsyncEnumerable<FetchInputLine> ReadAsync(
        Stream input, int maxLineBytes = FetchInputLimits.MaxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = new BoundedLineReader(input, maxLineBytes);
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } raw)
        {
            number++;
            if (Parse(number, raw, maxLineBytes) is { } line)
            {
                yield return line;
            }
        }
    }

    public static FetchInputLine? Parse(long number, RawLine raw, int maxLineBytes = FetchInputLimits.MaxLineBytes)
    {
        if (!raw.TooLong)
        {
            return Parse(number, raw.Text);
        }

        var trimmed = raw.Text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] == '#')
        {
            // A comment is a comment however long.
            return trimmed.IsEmpty ? Invalid(number, Key(raw.Text, raw.Length), TooLong(number, raw.Length, maxLineBytes)) : null;
        }

        return Invalid(number, Key(FirstToken(trimmed).ToString(), raw.Length), TooLong(number, raw.Length, maxLineBytes));
    }

    public static FetchInputLine? Parse(long number, string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed[0] == '#')
        {
            return null;
        }

        if (trimmed[0] == '{')
        {
            return FetchJsonLineParser.Parse(number, trimmed.ToString());
        }

        // A URL holds no unescaped whitespace, so the first run of whitespace ends it.
        var url = FirstToken(trimmed);
        var rest = trimmed[url.Length..].Trim();
        var id = rest.IsEmpty ? null : rest.ToString();
        var error = CheckUrl(number, url.ToString());
        // Not a request: the whole line names it (a plain line's id is not told apart from a mistyped URL).
        return error is null ? new FetchInputLine(number, url.ToString(), id) : Invalid(number, UrlKey(trimmed.ToString()), error);
    }

    /// <summary>Returns why <paramref name="url"/> cannot be requested, or null when it is an absolute http(s) URL within the limit.</summary>
    public static string? CheckUrl(long number, string url)
    {
        var octets = System.Text.Encoding.UTF8.GetByteCount(url);
        if (octets > FetchInputLimits.MaxUrlOctets)
        {
            return string.Create(CultureInfo.InvariantCulture, $"line {number}: the URL is {octets:N0} octets long, more than the limit of {FetchInputLimits.MaxUrlOctets:N0}.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return string.Create(CultureInfo.InvariantCulture, $"line {number}: '{Shorten(url)}' is not an absolute http or https URL.");
        }

        return null;
    }

    /// <summary>The key that names an unusable URL in its result: the URL itself, or its start when it is over the limit.</summary>
    public static string UrlKey(string url)
        => System.Text.Encoding.UTF8.GetByteCount(url) <= FetchInputLimits.MaxUrlOctets ? url : Key(url, System.Text.Encoding.UTF8.GetByteCount(url));

    public static FetchInputLine Invalid(long number, string key, string error) => new(number, key, null) { Error = error };

    private static ReadOnlySpan<char> FirstToken(ReadOnlySpan<char> trimmed)
    {
        var split = trimmed.IndexOfAny(' ', '\t');
        return split < 0 ? trimmed : trimmed[..split];
    }

    private static string Key(string start, long length)
        => string.Create(CultureInfo.InvariantCulture, $"{start[..Math.Min(start.Length, FetchInputLimits.KeyPrefixChars)]}... ({length} bytes)");

    private static string Shorten(string text) => text.Length <= 200 ? text : $"{text[..200]}...";

    private static string TooLong(long number, long length, int maxLineBytes)
        => string.Create(CultureInfo.InvariantCulture, $"line {number} is {length:N0} bytes long, more than the limit of {maxLineBytes:N0}; it was not read.");
}
