using System.Net;

namespace Reprise.Responses;

/// <summary>
/// A response's content whose body is read through a <see cref="BoundedReadStream"/>: it fails past a size limit or
/// at a deadline however the caller reads it (a stream, a string, a copy). The deadline's timer is disposed with it.
/// </summary>
internal sealed class BoundedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly long _maxBytes;
    private readonly TimeSpan _remaining;
    private readonly long _created;
    private readonly TimeProvider _timeProvider;
    private readonly string? _deadlineMessage;
    private CancellationTokenSource? _deadline;

    /// <param name="inner">The content to bound; disposed with this one.</param>
    /// <param name="maxBytes">The most body bytes allowed; <see cref="long.MaxValue"/> for no limit.</param>
    /// <param name="remaining">The time left until the deadline, from now, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="timeProvider">The clock of the deadline.</param>
    /// <param name="deadlineMessage">What a read that the deadline ended says.</param>
    public BoundedContent(HttpContent inner, long maxBytes, TimeSpan remaining, TimeProvider timeProvider, string? deadlineMessage)
    {
        _inner = inner;
        _maxBytes = maxBytes;
        _remaining = remaining;
        _timeProvider = timeProvider;
        _created = timeProvider.GetTimestamp();
        _deadlineMessage = deadlineMessage;
        foreach (var header in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Throws when a declared length is already past the limit: nothing needs to be read to know.</summary>
    public static void ThrowIfDeclaredTooLarge(HttpContent content, long maxBytes)
    {
        if (content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw new ResponseBodyTooLargeException(maxBytes, length);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        => Wrap(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => Wrap(_inner.ReadAsStream(cancellationToken));

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var body = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _deadline?.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private BoundedReadStream Wrap(Stream body)
    {
        ThrowIfDeclaredTooLarge(_inner, _maxBytes);
        if (_remaining != Timeout.InfiniteTimeSpan && _deadline is null)
        {
            // The timer starts only when the body is read: a response disposed unread costs none.
            var left = _remaining - _timeProvider.GetElapsedTime(_created);
            _deadline = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1), _timeProvider);
        }

        return new(body, _maxBytes, _deadline?.Token ?? CancellationToken.None, _deadlineMessage);
    }
}
