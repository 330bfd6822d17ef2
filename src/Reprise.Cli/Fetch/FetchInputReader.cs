using System.Runtime.CompilerServices;

namespace Reprise.Cli.Fetch;

/// <summary>
/// Reads the input of <c>reprise fetch</c> lazily: one URL a line, optionally followed by whitespace and an id;
/// blank lines and lines starting with <c>#</c> are skipped. The URL is not checked here: the engine turns a
/// malformed one into an <c>invalid_input</c> result, so a bad line never stops the run.
/// </summary>
internal static class FetchInputReader
{
    public static async IAsyncEnumerable<FetchInputLine> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            number++;
            if (Parse(number, text) is { } line)
            {
                yield return line;
            }
        }
    }

    public static FetchInputLine? Parse(long number, string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed[0] == '#')
        {
            return null;
        }

        // A URL holds no unescaped whitespace, so the first run of whitespace ends it.
        var split = trimmed.IndexOfAny(' ', '\t');
        if (split < 0)
        {
            return new FetchInputLine(number, trimmed.ToString(), null);
        }

        var id = trimmed[(split + 1)..].Trim();
        return new FetchInputLine(number, trimmed[..split].ToString(), id.IsEmpty ? null : id.ToString());
    }
}
