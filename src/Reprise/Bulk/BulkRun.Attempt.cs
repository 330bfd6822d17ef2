using System.Buffers;
using System.Runtime.CompilerServices;
using Reprise.Attempts;
using Reprise.Hosts;
using Reprise.Responses;
using Reprise.Retry;
using Reprise.Timing;
using Reprise.Transport;

namespace Reprise.Bulk;

/// <summary>One attempt of a request: build a fresh message, send, classify, handle the body, decide.</summary>
internal sealed partial class BulkRun
{
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Sends one attempt under a granted permit, which it disposes. Null when the request now waits for its retry.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<BulkResult?> AttemptAsync(BulkWorkItem item, HostPermit permit, TimeSpan hostWait, WorkerPath path)
    {
        // Disposed last, when the attempt has ended in every way: its host slot is freed after its response.
        using var owned = permit;
        var attempt = ++item.Attempts;
        if (attempt > 1)
        {
            Interlocked.Increment(ref _counters.RetriesSent);
        }

        path.Prepare(item, Remaining(DeadlineElapsed(item)), permit.AttemptTimeout(_retry.AttemptTimeout));
        var message = BuildMessage(item, _engine.DefaultHeaders);
        AttemptResult result = default;
        Interlocked.Increment(ref _counters.InFlight);
        try
        {
            result = await _executor.RunAsync(path, path, new AttemptInput
            {
                Message = message,
                Request = message,
                Uri = item.Uri,
                Attempt = attempt,
                Permit = permit,
                Sent = _time.GetTimestamp(),
                HostWait = hostWait,
                History = item.History,
                HasIdempotencyKey = item.HasIdempotencyKey,
                BodyReplayable = true,
                PreviousDelay = item.PreviousDelay,
            }).ConfigureAwait(false);

            if (result.End == AttemptEnd.Cancelled)
            {
                return Cancelled(item);
            }

            if (result.End == AttemptEnd.Final)
            {
                return Final(item, result.Decision.Stop, result.Response, result.Error, result.RetryAfter, path.LastBody);
            }

            item.PreviousDelay = result.Decision.Delay;

            // What this URL's attempt told, for the host's evidence on the next one (a URL failing again is its own trouble).
            item.UrlHistory = item.UrlHistory.Next(result.Signal, afterOwnWait: result.Decision.Source == RetryWaitSource.RetryAfter, _clock.Now);
            if (!item.Retrying)
            {
                item.Retrying = true;
                Interlocked.Increment(ref _counters.Retrying);
            }

            // The worker is free as soon as the request is parked: the wait costs a queue entry, not a slot.
            return Park(item, result.Decision.Delay, BulkWaitKind.Retry) ? null : Cancelled(item);
        }
        finally
        {
            Interlocked.Decrement(ref _counters.InFlight);
            result.Response?.Dispose();
            message.Dispose();
        }
    }

    private BulkResult Final(BulkWorkItem item, RetryStopReason stop, HttpResponseMessage? response, Exception? error, TimeSpan? retryAfter, in BodyOutcome body)
    {
        stop = StopReasons.Refine(stop, error);
        if (body.Failure is { } failure)
        {
            return Finish(item, BulkOutcome.Failed, body.FailureStop, failure, body);
        }

        if (response is not null && error is null && stop == RetryStopReason.Completed)
        {
            var status = (int)response.StatusCode;
            return status is >= 200 and < 400
                ? Finish(item, BulkOutcome.Succeeded, stop, null, body)
                : Finish(item, BulkOutcome.Failed, stop, Describe(response, error), body);
        }

        var last = Describe(response, error);
        var message = stop switch
        {
            RetryStopReason.AttemptsExhausted => $"Gave up after {item.Attempts} attempt(s); the last: {last}.",
            RetryStopReason.DeadlineExceeded => $"{DeadlineMessage(item)} The last: {last}.",
            RetryStopReason.RetryAfterTooLong =>
                $"The server asked to wait {Seconds(retryAfter ?? TimeSpan.Zero)} s, more than {nameof(RepriseOptions.MaxRetryAfter)} ({Seconds(_retry.MaxRetryAfter)} s); the last: {last}.",
            RetryStopReason.MethodNotIdempotent => $"{item.Request.Method} is not retried without an {IdempotencyKeyHeader} header; the last: {last}.",
            _ => last,
        };
        return Finish(item, BulkOutcome.Failed, stop, message, body);
    }

    private static string Describe(HttpResponseMessage? response, Exception? error)
    {
        if (error is not null)
        {
            return $"{AttemptClassifier.ErrorTypeOf(error)} ({error.Message})";
        }

        var status = (int)response!.StatusCode;
        return response.ReasonPhrase is { Length: > 0 } reason ? $"HTTP {status} {reason}" : $"HTTP {status}";
    }

    /// <summary>What is left of the request's deadline for an attempt: at least one tick, so that a spent deadline still cuts the attempt at once.</summary>
    private TimeSpan Remaining(TimeSpan elapsed)
    {
        var remaining = RequestDeadline.Remaining(_retry.Deadline, elapsed);
        return remaining == TimeSpan.Zero ? TimeSpan.FromTicks(1) : remaining;
    }

    /// <summary>Reads the final response's body to where the options send it, never more than the cap into memory.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<BodyOutcome> ReadBodyAsync(BulkWorkItem item, HttpResponseMessage response, ReusableTimeoutScope timeout)
    {
        var mode = _engine.BodyHandling;
        var cap = _engine.MaxBodyInMemory;
        if (mode == BulkBodyHandling.Memory && response.Content.Headers.ContentLength > cap)
        {
            return BodyOutcome.TooLarge(0, cap);
        }

        if (response.Content.Headers.ContentLength > _engine.MaxBodySize)
        {
            return BodyOutcome.TooLarge(0, _engine.MaxBodySize, nameof(BulkOptions.MaxBodySize));
        }

        Stream? sink = null;
        string? path = null;
        if (mode == BulkBodyHandling.Sink)
        {
            try
            {
                sink = _engine.BodySink!.Open(item.Request, response, out path);
            }
            catch (Exception ex)
            {
                return BodyOutcome.SinkFailed(ex, 0);
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BulkDefaults.CopyBufferSize);
        byte[]? kept = mode == BulkBodyHandling.Memory ? new byte[(int)Math.Min(response.Content.Headers.ContentLength ?? BulkDefaults.CopyBufferSize, cap)] : null;
        var keptLength = 0;
        long bytes = 0;

        // The attempt timeout ends at the headers; the body is bounded by what is left of the deadline.
        var token = timeout.Start(Remaining(DeadlineElapsed(item)));
        try
        {
            Stream source;
            try
            {
                // Counted after decompression: a small compressed body may not become an endless one.
                source = new BoundedReadStream(await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false), _engine.MaxBodySize);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return BodyOutcome.ReadFailed(ex, 0);
            }

            await using (source.ConfigureAwait(false))
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer, token).ConfigureAwait(false);
                    }
                    catch (ResponseBodyTooLargeException)
                    {
                        return BodyOutcome.TooLarge(bytes, _engine.MaxBodySize, nameof(BulkOptions.MaxBodySize));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        return BodyOutcome.ReadFailed(ex, bytes);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    bytes += read;
                    if (kept is not null)
                    {
                        if (keptLength + (long)read > cap)
                        {
                            return BodyOutcome.TooLarge(bytes, cap);
                        }

                        if (keptLength + read > kept.Length)
                        {
                            Array.Resize(ref kept, (int)Math.Min(Math.Max((long)kept.Length * 2, keptLength + read), cap));
                        }

                        buffer.AsSpan(0, read).CopyTo(kept.AsSpan(keptLength));
                        keptLength += read;
                    }
                    else if (sink is not null)
                    {
                        try
                        {
                            await sink.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            return BodyOutcome.SinkFailed(ex, bytes);
                        }
                    }
                }
            }

            if (sink is not null)
            {
                try
                {
                    await sink.FlushAsync(token).ConfigureAwait(false);
                    var written = sink;
                    sink = null;
                    await _engine.BodySink!.CompleteAsync(written, complete: true).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return BodyOutcome.SinkFailed(ex, bytes);
                }

                return new BodyOutcome { Bytes = bytes, Path = path };
            }

            return new BodyOutcome { Bytes = bytes, Body = kept?.AsMemory(0, keptLength) };
        }
        catch (OperationCanceledException) when (_token.IsCancellationRequested)
        {
            return new BodyOutcome { Bytes = bytes, Cancelled = true };
        }
        catch (OperationCanceledException ex) when (timeout.TimedOut)
        {
            var cut = BodyOutcome.ReadFailed(new TimeoutException($"The body was not read in full by the request's deadline of {Seconds(_retry.Deadline)} s.", ex), bytes);
            return cut with { CutAtDeadline = true };
        }
        finally
        {
            timeout.Stop();
            ArrayPool<byte>.Shared.Return(buffer);
            if (sink is not null)
            {
                await AbandonQuietlyAsync(_engine.BodySink!, sink).ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask AbandonQuietlyAsync(IBulkBodySink sink, Stream stream)
    {
        try
        {
            // Incomplete: a sink that writes a temporary file deletes it.
            await sink.CompleteAsync(stream, complete: false).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException)
        {
            // The body already failed; its first error is the one reported.
        }
    }

    /// <summary>What became of a final response's body.</summary>
    private readonly struct BodyOutcome
    {
        public long Bytes { get; init; }

        public string? Path { get; init; }

        public ReadOnlyMemory<byte>? Body { get; init; }

        /// <summary>Gets a failure to read the body from the server: the attempt failed and may be retried.</summary>
        public Exception? ReadError { get; init; }

        /// <summary>Gets a failure on this side (the sink, the memory cap): the request ends with it.</summary>
        public string? Failure { get; init; }

        public RetryStopReason FailureStop { get; init; }

        public bool Cancelled { get; init; }

        /// <summary>Gets whether the request's deadline cut the read: its own limit, not a signal about the host.</summary>
        public bool CutAtDeadline { get; init; }

        public static BodyOutcome ReadFailed(Exception error, long bytes) => new() { Bytes = bytes, ReadError = error };

        public static BodyOutcome SinkFailed(Exception error, long bytes)
            => new() { Bytes = bytes, Failure = $"The body sink failed: {error.Message}", FailureStop = RetryStopReason.NonRetryableError };

        public static BodyOutcome TooLarge(long bytes, long cap, string option = nameof(BulkOptions.MaxBodyInMemory))
            => new() { Bytes = bytes, Failure = $"The body is larger than {option} ({cap} bytes).", FailureStop = RetryStopReason.BodyTooLarge };
    }
}
