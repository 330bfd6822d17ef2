using Reprise.Transport;

namespace Reprise.Responses;

/// <summary>
/// A read-only view of a response body that fails when the body passes a size limit (counted as read, after
/// decompression) or when a deadline passes: then a pending read ends at once, as the body's stream is disposed.
/// </summary>
internal sealed class BoundedReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long _maxBytes;
    private readonly string? _deadlineMessage;
    private readonly CancellationTokenRegistration _deadlineRegistration;
    private long _read;
    private volatile bool _timedOut;

    /// <param name="inner">The body's stream; disposed with this one.</param>
    /// <param name="maxBytes">The most bytes allowed; <see cref="long.MaxValue"/> for no limit.</param>
    /// <param name="deadline">Cancelled when the deadline passes; <see cref="CancellationToken.None"/> for none.</param>
    /// <param name="deadlineMessage">What a read that the deadline ended says.</param>
    public BoundedReadStream(Stream inner, long maxBytes, CancellationToken deadline = default, string? deadlineMessage = null)
    {
        _inner = inner;
        _maxBytes = maxBytes;
        _deadlineMessage = deadlineMessage;
        if (deadline.CanBeCanceled)
        {
            // One registration for the body's life, not a linked source per read: disposing the stream ends a pending read.
            _deadlineRegistration = deadline.UnsafeRegister(static state => ((BoundedReadStream)state!).OnDeadline(), this);
        }
    }

    /// <summary>Gets the bytes read so far.</summary>
    public long BytesRead => Interlocked.Read(ref _read);

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        ThrowIfTimedOut(null);
        int read;
        try
        {
            read = _inner.Read(buffer);
        }
        catch (Exception ex) when (_timedOut)
        {
            throw TimedOut(ex);
        }

        return Count(read);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfTimedOut(null);
        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (_timedOut && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(ex);
        }

        return Count(read);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _deadlineRegistration.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _deadlineRegistration.DisposeAsync().ConfigureAwait(false);
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Count(int read)
    {
        ThrowIfTimedOut(null);
        if (Interlocked.Add(ref _read, read) > _maxBytes)
        {
            throw new ResponseBodyTooLargeException(_maxBytes, declared: null);
        }

        return read;
    }

    private void OnDeadline()
    {
        _timedOut = true;
        try
        {
            _inner.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The body is abandoned either way; the pending read reports the deadline.
        }
    }

    private void ThrowIfTimedOut(Exception? inner)
    {
        if (_timedOut)
        {
            throw TimedOut(inner);
        }
    }

    private TaskCanceledException TimedOut(Exception? inner)
    {
        var message = _deadlineMessage ?? "The response body was not read in full by the request's deadline.";
        return new TaskCanceledException(message, new TimeoutException(message, inner));
    }
}
