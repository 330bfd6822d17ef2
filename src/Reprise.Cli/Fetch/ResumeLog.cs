using System.Text.Json;

namespace Reprise.Cli.Fetch;

/// <summary>
/// The URLs that already have a line in the results file, for <c>--resume</c>. A torn last line (the process was
/// killed while writing it) is cut off the file, so its URL is fetched again and ends with exactly one line.
/// </summary>
/// <remarks>
/// A URL that appears n times in the input needs n lines: the log counts lines per URL and each one skips one
/// input occurrence.
/// </remarks>
internal sealed class ResumeLog
{
    private readonly Dictionary<string, int> _done = new(StringComparer.Ordinal);

    private ResumeLog()
    {
    }

    /// <summary>Gets how many complete lines the file held.</summary>
    public int Lines { get; private set; }

    /// <summary>Gets how many bytes of a torn last line were cut off.</summary>
    public long TornBytesDropped { get; private set; }

    /// <summary>Gets how many complete lines could not be read as a result (they are kept, and skip nothing).</summary>
    public int UnreadableLines { get; private set; }

    public static ResumeLog Empty { get; } = new();

    /// <summary>Reads the results file, cutting off a torn last line. A missing file is an empty log.</summary>
    public static ResumeLog Load(string path)
    {
        var log = new ResumeLog();
        if (!File.Exists(path))
        {
            return log;
        }

        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
        {
            var complete = EndOfLastCompleteLine(file);
            if (complete < file.Length)
            {
                log.TornBytesDropped = file.Length - complete;
                file.SetLength(complete);
            }
        }

        foreach (var text in File.ReadLines(path))
        {
            if (text.Length == 0)
            {
                continue;
            }

            log.Lines++;
            if (TryReadUrl(text) is { } url)
            {
                log._done[url] = log._done.GetValueOrDefault(url) + 1;
            }
            else
            {
                log.UnreadableLines++;
            }
        }

        return log;
    }

    /// <summary>Returns true, and uses up one line, when <paramref name="url"/> already has a line.</summary>
    public bool TryConsume(string url)
    {
        if (!_done.TryGetValue(url, out var count))
        {
            return false;
        }

        if (count == 1)
        {
            _done.Remove(url);
        }
        else
        {
            _done[url] = count - 1;
        }

        return true;
    }

    private static long EndOfLastCompleteLine(FileStream file)
    {
        // Scan back from the end for the last '\n'; everything after it is a line the writer never finished.
        var buffer = new byte[4096];
        var end = file.Length;
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            var count = (int)(end - start);
            file.Position = start;
            file.ReadExactly(buffer, 0, count);
            var newline = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                return start + newline + 1;
            }

            end = start;
        }

        return 0;
    }

    private static string? TryReadUrl(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, FetchJsonContext.Default.FetchResultLine)?.Url;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
