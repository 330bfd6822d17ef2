using System.Globalization;
using System.Text;

namespace Reprise.Cli.Output;

/// <summary>
/// Writes text to the terminal with every control character escaped (<c>\x1B</c>, <c>\u202E</c>): a status line,
/// a header or an error from a server can then neither move the cursor, change the window title, nor paint a fake
/// message. Only the writer's own line ends pass. Bodies never go through it: they go to stdout or a file unchanged.
/// </summary>
internal sealed class ControlEscapingWriter : TextWriter
{
    private static readonly System.Buffers.SearchValues<char> SearchValuesOfUnsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(static i => (char)i), .. Enumerable.Range(0x7F, 0x21).Select(static i => (char)i),
         '\u2028', '\u2029', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']);

    private readonly TextWriter _inner;

    public ControlEscapingWriter(TextWriter inner)
        : base(CultureInfo.InvariantCulture)
    {
        _inner = inner;
        NewLine = inner.NewLine;
    }

    public override Encoding Encoding => _inner.Encoding;

    /// <summary>Whether a character would act on the terminal rather than show: C0, DEL, C1, line and paragraph separators, bidirectional overrides.</summary>
    public static bool IsUnsafe(char c)
        => char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';

    public static string Escape(string text)
    {
        if (!text.AsSpan().ContainsAny(SearchValuesOfUnsafe))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!IsUnsafe(c))
            {
                escaped.Append(c);
            }
            else if (c <= '\u00FF')
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return escaped.ToString();
    }

    public override void Write(char value)
    {
        if (value == '\n')
        {
            _inner.Write(value);
            return;
        }

        _inner.Write(IsUnsafe(value) ? Escape(value.ToString()) : value.ToString());
    }

    public override void Write(string? value) => _inner.Write(value is null ? null : Escape(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine() => _inner.WriteLine();

    public override void WriteLine(string? value)
    {
        _inner.Write(value is null ? null : Escape(value));
        _inner.WriteLine();
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync() => _inner.FlushAsync();
}
