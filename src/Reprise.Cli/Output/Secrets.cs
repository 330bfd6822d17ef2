using System.Text;

namespace Reprise.Cli.Output;

/// <summary>
/// Masks what a URL may carry that is a secret before it is shown or written: the user info (<c>user:password@</c>,
/// or a token as the user name) always, the values of the query unless asked.
/// </summary>
internal static class Secrets
{
    public const string Mask = "***";

    /// <summary>The URL as given, with its user info replaced by <c>***</c>; any other text is returned unchanged.</summary>
    public static string MaskUserInfo(string url)
    {
        // Done on the text, not a parsed Uri, so the rest of the URL stays exactly as given (the results key on it).
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return url;
        }

        start += 3;
        var end = url.AsSpan(start).IndexOfAny("/?#");
        var authority = end < 0 ? url.AsSpan(start) : url.AsSpan(start, end);
        var at = authority.LastIndexOf('@');
        return at < 0 ? url : string.Concat(url.AsSpan(0, start), Mask, authority[at..], end < 0 ? [] : url.AsSpan(start + end));
    }

    /// <summary>An absolute URL without user info, its query values masked unless <paramref name="showQuery"/>: <c>?token=***&amp;page=***</c>.</summary>
    public static string ForDisplay(Uri uri, bool showQuery)
    {
        var text = MaskUserInfo(uri.AbsoluteUri);
        if (showQuery || string.IsNullOrEmpty(uri.Query))
        {
            return text;
        }

        var queryStart = text.IndexOf('?', StringComparison.Ordinal);
        var fragment = text.IndexOf('#', queryStart);
        var query = fragment < 0 ? text[(queryStart + 1)..] : text[(queryStart + 1)..fragment];
        var masked = new StringBuilder(text.Length).Append(text, 0, queryStart + 1);
        var first = true;
        foreach (var pair in query.Split('&'))
        {
            masked.Append(first ? string.Empty : "&");
            first = false;
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            masked.Append(equals < 0 ? pair : pair[..equals]).Append(equals < 0 ? string.Empty : "=" + Mask);
        }

        return fragment < 0 ? masked.ToString() : masked.Append(text, fragment, text.Length - fragment).ToString();
    }
}
