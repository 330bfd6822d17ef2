using System.Buffers;
using System.Text;

namespace Reprise.Cli.Fetch;

/// <summary>
/// Reads the lines of a stream with bounded memory: a line longer than the limit is not held, only its first bytes
/// (to name it) and its length, and the reader skips to the next newline. A 50 MB line without a newline costs
/// the limit, not 50 MB.
/// </summary>
internal sealed class BoundedLineReader
{
    // Bytes of an over-long line kept to name it in its result.
    private const int PrefixBytes = 64;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _first = true;

    public BoundedLineReader(Stream stream, int maxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>Reads the next line without its end (LF or CRLF), or returns null at the end of the stream.</summary>
    public async ValueTask<RawLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.ResetWrittenCount();
        long length = 0;
        while (true)
        {
            if (_start == _end)
            {
                if (_endOfStream || !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return length == 0 && _line.WrittenCount == 0 ? null : Finish(length);
                }
            }

            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            var chunk = newline >= 0 ? available[..newline] : available;
            Append(chunk, length);
            length += chunk.Length;
            _start += newline >= 0 ? newline + 1 : chunk.Length;
            if (newline >= 0)
            {
                return Finish(length);
            }
        }
    }

    private void Append(ReadOnlySpan<byte> chunk, long lengthSoFar)
    {
        // Within the limit the whole line is kept; past it only the first bytes, to name the line.
        var room = (lengthSoFar + chunk.Length <= _maxLineBytes ? _maxLineBytes : PrefixBytes) - _line.WrittenCount;
        if (room > 0)
        {
            _line.Write(chunk[..(int)Math.Min(room, chunk.Length)]);
        }
    }

    private RawLine Finish(long length)
    {
        var bytes = _line.WrittenSpan;
        if (length <= _maxLineBytes && bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
            length--;
        }

        if (length > _maxLineBytes)
        {
            bytes = bytes[..Math.Min(bytes.Length, PrefixBytes)];
        }

        return new RawLine(Utf8.GetString(bytes), length, length > _maxLineBytes);
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        var read = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        _start = 0;
        _end = read;
        if (read == 0)
        {
            _endOfStream = true;
            return false;
        }

        if (_first)
        {
            // A UTF-8 byte order mark (Windows editors) is not part of the first URL.
            _first = false;
            if (_buffer.AsSpan(0, read).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                _start = 3;
            }
        }

        return true;
    }
}

/// <summary>One line as read: its text (only its first bytes when it was too long), its length in bytes, and whether it was.</summary>
internal readonly record struct RawLine(string Text, long Length, bool TooLong);
