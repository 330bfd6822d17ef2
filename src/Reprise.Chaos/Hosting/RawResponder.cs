using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace Reprise.Chaos.Hosting;

/// <summary>
/// Writes the raw answers of routes with <c>raw</c> bytes: a connection middleware that reads the first request head
/// of each connection without consuming it; when its path leads to a raw route, the bytes are written as they are
/// and the connection closes, otherwise Kestrel reads the same head as if nothing had looked.
/// </summary>
internal static class RawResponder
{
    // A request head larger than this is Kestrel's to refuse; the responder gives up looking and passes it on.
    private const int MaxHead = 32 * 1024;

    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    public static async Task HandleAsync(ConnectionContext connection, HostEngine engine, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
            var buffer = result.Buffer;
            var end = FindEndOfHead(buffer);
            if (end is null && !result.IsCompleted && !result.IsCanceled && buffer.Length < MaxHead)
            {
                // Not a whole head yet: look at it again when more bytes come.
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var route = end is { } headEnd && ParseHead(buffer.Slice(0, headEnd), out var path, out var headers)
                ? engine.MatchRaw(path) is { } raw ? (raw, headers) : default
                : default;
            if (route.raw is null)
            {
                // Nothing consumed and nothing examined: Kestrel's first read returns this very head at once.
                input.AdvanceTo(buffer.Start);
                await next(connection).ConfigureAwait(false);
                return;
            }

            input.AdvanceTo(buffer.End);
            engine.CountRaw(route.raw, route.headers);
            await connection.Transport.Output.WriteAsync(route.raw.Raw, connection.ConnectionClosed).ConfigureAwait(false);
            await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            return;
        }
    }

    private static SequencePosition? FindEndOfHead(in ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, EndOfHead, advancePastDelimiter: true) ? reader.Position : null;
    }

    private static bool ParseHead(in ReadOnlySequence<byte> head, out PathString path, out IHeaderDictionary headers)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        headers = new HeaderDictionary();
        path = default;
        var parts = lines.Length > 0 ? lines[0].Split(' ') : [];
        if (parts.Length != 3)
        {
            return false;
        }

        var target = parts[1];
        var query = target.IndexOf('?', StringComparison.Ordinal);
        path = new PathString(query < 0 ? target : target[..query]);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Append(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        return target.StartsWith('/');
    }
}
