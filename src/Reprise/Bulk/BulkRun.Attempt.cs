using System.Buffers;
using System.Runtime.CompilerServices;
using Reprise.Hosts;
using Reprise.Requests;
using Reprise.Retry;
using Reprise.Telemetry;
using Reprise.Timing;

namespace Reprise.Bulk;

/// <summary>One attempt of a request: build a fresh message, send, classify, handle the body, decide.</summary>
internal sealed partial class BulkRun
{
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Sends one attempt under a granted permit, which it disposes. Null when the request now waits for its retry.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<BulkResult?> AttemptAsync(BulkWorkItem item, HostPermit permit, TimeSpan hostWait, ReusableTimeoutScope timeout)
    {
        // Disposed last, when the attempt has ended in every way: its host slot is freed after its response.
        using var owned = permit;
        var attempt = ++item.Attempts;
        if (attempt > 1)
        {
            Interlocked.Increment(ref _counters.RetriesSent);
        }

        // One timer per attempt: the attempt timeout, or what is left of the deadline when that is shorter.
        var remaining = Remaining(DeadlineElapsed(item));
        var attemptTimeout = permit.AttemptTimeout(_retry.AttemptTimeout);
        var deadlineBound = remaining != Timeout.InfiniteTimeSpan && (attemptTimeout == Timeout.InfiniteTimeSpan || remaining <= attemptTimeout);

        var message = BuildMessage(item);
        var activity = _telemetry.StartAttempt(item.Request.Method, item.Uri, attempt);
        HttpResponseMessage? response = null;
        Interlocked.Increment(ref _counters.InFlight);
        try
        {
            Exception? error = null;
            var cutAtDeadline = false;
            var sent = _time.GetTimestamp();
            var token = timeout.Start(deadlineBound ? remaining : attemptTimeout);
            try
            {
                try
                {
                    response = await _engine.Invoker.SendAsync(message, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (timeout.TimedOut && !_token.IsCancellationRequested)
                {
                    cutAtDeadline = deadlineBound;
                    error = deadlineBound
                        ? new TimeoutException($"The attempt was cut at the request's deadline of {Seconds(_retry.Deadline)} s.", ex)
                        : new TimeoutException($"The attempt timed out after {Seconds(attemptTimeout)} s.", ex);
                }
                catch (OperationCanceledException ex) when (_token.IsCancellationRequested)
                {
                    // The run's cancellation is never retried and says nothing about the host.
                    permit.Complete(HostSignal.Cancelled, serverRetryAfter: null);
                    var cancelled = new AttemptRecord(attempt, null, ex, "cancelled", hostWait, _time.GetElapsedTime(sent));
                    item.History.Add(cancelled);
                    _telemetry.AttemptEnded(activity, item.Request.Method, item.Uri, cancelled, AttemptOutcome.Cancelled);
                    return Cancelled(item);
                }
                catch (Exception ex)
                {
                    error = ex;
                }
            }
            finally
            {
                timeout.Stop();
            }

            var duration = _time.GetElapsedTime(sent);
            var verdict = _policy.Classify(message, attempt, response, error);
            var retryAfter = _policy.ReadRetryAfter(response);
            var decision = Decide(item, attempt, verdict, retryAfter);

            var body = default(BodyOutcome);
            var bodyRead = false;
            if (!decision.ShouldRetry && response is not null)
            {
                bodyRead = true;
                body = await ReadBodyAsync(item, response, timeout).ConfigureAwait(false);
                if (body.Cancelled)
                {
                    permit.Complete(HostSignal.Cancelled, serverRetryAfter: null);
                    var cancelled = new AttemptRecord(attempt, response.StatusCode, null, "cancelled", hostWait, duration);
                    item.History.Add(cancelled);
                    _telemetry.AttemptEnded(activity, item.Request.Method, item.Uri, cancelled, AttemptOutcome.Cancelled);
                    return Cancelled(item);
                }

                if (body.ReadError is { } readError)
                {
                    // A body cut mid-way is a failed attempt like any transport error: retried when the rules allow.
                    error = readError;
                    cutAtDeadline = body.CutAtDeadline;
                    verdict = _policy.Classify(message, attempt, null, readError);
                    decision = Decide(item, attempt, verdict, retryAfter: null);
                }
            }

            // A deadline that cuts the attempt is the request's own limit, not a signal about the host.
            // The round trip is the time to the response's headers; a timeout or a transport error measures none.
            permit.Complete(cutAtDeadline ? HostSignal.Cancelled : verdict.Signal, _policy.CapRetryAfter(retryAfter), roundTrip: response is not null ? duration : null);
            var record = new AttemptRecord(attempt, response?.StatusCode, error, verdict.ErrorType, hostWait, duration);
            item.History.Add(record);
            _telemetry.AttemptEnded(
                activity, item.Request.Method, item.Uri, record, verdict.Retryable ? AttemptOutcome.Retryable : error is null ? AttemptOutcome.Final : AttemptOutcome.Error);

            if (!decision.ShouldRetry)
            {
                return Final(item, decision.Stop, response, error, retryAfter, body);
            }

            record.Delay = decision.Delay;
            record.DelaySource = decision.Source;
            item.UrlHistory = item.UrlHistory.Next(
                cutAtDeadline ? HostSignal.Cancelled : verdict.Signal, afterOwnWait: decision.Source == RetryWaitSource.RetryAfter, _engine.Hosts.Now);
            _telemetry.Retrying(item.Request.Method, item.Uri, record, _retry.RetryOn);
            item.PreviousDelay = decision.Delay;
            if (response is not null && !bodyRead)
            {
                await ResponseDiscard.DiscardAsync(response, _token, _time).ConfigureAwait(false);
                response = null;
            }

            if (!item.Retrying)
            {
                item.Retrying = true;
                Interlocked.Increment(ref _counters.Retrying);
            }

            // The attempt's activity ends before the request is parked: a retry due at once may start on another worker.
            activity?.Dispose();

            // The worker is free as soon as the request is parked: the wait costs a queue entry, not a slot.
            return Park(item, decision.Delay, BulkWaitKind.Retry) ? null : Cancelled(item);
        }
        finally
        {
            Interlocked.Decrement(ref _counters.InFlight);
            activity?.Dispose();
            response?.Dispose();
            message.Dispose();
        }
    }

    private RetryDecision Decide(BulkWorkItem item, int attempt, in AttemptVerdict verdict, TimeSpan? retryAfter)
        => _policy.Decide(
            item.Request.Method, item.HasIdempotencyKey, attempt, verdict, bodyReplayable: true, retryAfter, item.PreviousDelay, DeadlineElapsed(item));

    private BulkResult Final(BulkWorkItem item, RetryStopReason stop, HttpResponseMessage? response, Exception? error, TimeSpan? retryAfter, in BodyOutcome body)
    {
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

    private TimeSpan Remaining(TimeSpan elapsed)
    {
        if (_retry.Deadline == Timeout.InfiniteTimeSpan)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var remaining = _retry.Deadline - elapsed;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.FromTicks(1);
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
                source = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
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
                    await written.DisposeAsync().ConfigureAwait(false);
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
                await DisposeQuietlyAsync(sink).ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask DisposeQuietlyAsync(Stream stream)
    {
        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
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

        public static BodyOutcome TooLarge(long bytes, long cap)
            => new() { Bytes = bytes, Failure = $"The body is larger than {nameof(BulkOptions.MaxBodyInMemory)} ({cap} bytes).", FailureStop = RetryStopReason.Completed };
    }
}
