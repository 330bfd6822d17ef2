using System.Net.Http.Headers;
using Reprise.Transport;

namespace Reprise.Requests;

/// <summary>
/// A request body captured so each attempt can send a fresh copy. Bodies up to the replay limit are buffered
/// once; a larger one is streamed to the first attempt and cannot be sent again.
/// </summary>
internal sealed class RequestBody
{
    private readonly byte[]? _buffer;
    private readonly int _length;
    private readonly HttpContentHeaders? _headers;
    private HttpContent? _singleUse;

    private RequestBody(byte[]? buffer, int length, HttpContentHeaders? headers, HttpContent? singleUse)
    {
        _buffer = buffer;
        _length = length;
        _headers = headers;
        _singleUse = singleUse;
        IsReplayable = singleUse is null;
    }

    /// <summary>Gets a request without a body.</summary>
    public static RequestBody None { get; } = new(null, 0, null, null);

    /// <summary>Gets whether every attempt can send this body.</summary>
    public bool IsReplayable { get; }

    /// <summary>Captures a request's content, buffering it when it fits in <paramref name="limit"/> bytes.</summary>
    public static async ValueTask<RequestBody> CaptureAsync(HttpContent? content, long limit, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return None;
        }

        if (content.Headers.ContentLength > limit)
        {
            // Known to be too large: send the caller's content as it is, once.
            return new RequestBody(null, 0, null, content);
        }

        if (content is not StreamContent && content.Headers.ContentLength is null)
        {
            // Content that writes itself (JsonContent, custom push content) would be buffered whole by
            // ReadAsStreamAsync; buffering it here stops at the limit. Too large: it goes out once, as it is.
            try
            {
                await content.LoadIntoBufferAsync(limit, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                return new RequestBody(null, 0, null, content);
            }
        }

        // Reads at most limit + 1 bytes: enough to know the body fits, never more than the cap in memory.
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[(int)Math.Min(content.Headers.ContentLength ?? 4096, limit) + 1];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    // Over the limit: the prefix read so far plus the rest of the stream go out once.
                    var rest = new PrefixedStream(buffer, stream);
                    return new RequestBody(null, 0, null, CopyHeaders(new StreamContent(rest), content.Headers));
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit + 1));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        // Kept with its spare byte: every attempt sends the first `length` bytes, so the body is never copied again.
        return new RequestBody(buffer, length, content.Headers, null);
    }

    /// <summary>Creates the content for one attempt, or null for a request without a body.</summary>
    public HttpContent? CreateContent()
    {
        if (_singleUse is { } content)
        {
            _singleUse = null;
            return content;
        }

        return _buffer is null ? null : CopyHeaders(new ByteArrayContent(_buffer, 0, _length), _headers!);
    }

    private static HttpContent CopyHeaders(HttpContent target, HttpContentHeaders source)
    {
        foreach (var header in source.NonValidated)
        {
            target.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return target;
    }

    /// <summary>A stream that yields an already-read prefix, then the rest of the source stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest) : ReadOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position < prefix.Length)
            {
                var count = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsSpan(_position, count).CopyTo(buffer);
                _position += count;
                return count;
            }

            return rest.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => _position < prefix.Length ? ValueTask.FromResult(Read(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
