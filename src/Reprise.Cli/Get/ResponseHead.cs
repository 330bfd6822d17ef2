using System.Globalization;
using System.Text;

namespace Reprise.Cli.Get;

/// <summary>The status line and headers of a response: on stdout for <c>-i</c>/<c>-I</c> (as curl prints them), on stderr for <c>-v</c>.</summary>
internal static class ResponseHead
{
    /// <summary>Writes the head as curl's <c>-i</c> does: HTTP/1.1 lines ending in CRLF, then an empty line, before the body.</summary>
    public static async Task WriteAsync(HttpResponseMessage response, Stream output, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder(512);
        foreach (var line in Lines(response))
        {
            builder.Append(line).Append("\r\n");
        }

        builder.Append("\r\n");
        await output.WriteAsync(Encoding.UTF8.GetBytes(builder.ToString()), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the head on stderr, each line after <c>&lt; </c>, control characters escaped: it is the server's text.</summary>
    public static void WriteVerbose(HttpResponseMessage response, TextWriter error)
    {
        foreach (var line in Lines(response))
        {
            error.WriteLine($"< {Escape(line)}");
        }
    }

    public static IEnumerable<string> Lines(HttpResponseMessage response)
    {
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/{response.Version.Major}.{response.Version.Minor} {(int)response.StatusCode} {response.ReasonPhrase}").TrimEnd();
        foreach (var header in response.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                yield return $"{header.Key}: {value}";
            }
        }

        foreach (var header in response.Content.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                yield return $"{header.Key}: {value}";
            }
        }
    }

    /// <summary>The text with each control character written as <c>\xNN</c>, so a server cannot move the cursor or end a line.</summary>
    internal static string Escape(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = char.IsControl(c) ? builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}") : builder.Append(c);
        }

        return builder.ToString();
    }
}
