using System.Diagnostics;
using System.Runtime.CompilerServices;
using Reprise.Hosts;
using Reprise.Requests;
using Reprise.Retry;
using Reprise.Telemetry;

namespace Reprise.Attempts;

/// <summary>
/// The one attempt of the handler and of the bulk engine: send under the attempt's limits, map a timeout to
/// <see cref="TimeoutException"/>, classify, read <c>Retry-After</c>, read a final body (the path's step), report to the
/// host's permit with the round trip, record, decide, and discard a response that will be retried.
/// </summary>
internal sealed class AttemptExecutor
{
    private const string CancelledErrorType = "cancelled";

    private readonly RetryPolicy _policy;
    private readonly RepriseTelemetry _telemetry;
    private readonly TimeProvider _time;

    public AttemptExecutor(RetryPolicy policy, RepriseTelemetry telemetry)
    {
        _policy = policy;
        _telemetry = telemetry;
        _time = policy.TimeProvider;
    }

    /// <summary>Runs one attempt under a granted permit (which the caller disposes) and says what happened.</summary>
    /// <remarks>
    /// One state machine, pooled: splitting it into awaited parts would cost a state machine per request. The steps
    /// that do not wait are methods of their own.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<AttemptResult> RunAsync(IAttemptPath path, IAttemptLimits limits, AttemptInput input)
    {
        using var activity = _telemetry.StartAttempt(input.Request.Method, input.Uri, input.Attempt);
        var s = default(State);
        var token = limits.BeginAttempt(input.Sent);
        try
        {
            var response = await path.SendAsync(input.Message, token).ConfigureAwait(false);
            s.Response = response;
            s.HeadersAt = s.End = _time.GetTimestamp();
            Judge(ref s, input, limits, readRetryAfter: true);
            if (!s.Decision.ShouldRetry)
            {
                s.BodyStep = true;
                await path.ReadFinalBodyAsync(response, s.Verdict, token).ConfigureAwait(false);
                if (OnBody(ref s, input, limits, path) is { } cancelled)
                {
                    return Cancel(activity, input, cancelled, s.Response, s.HeadersAt);
                }
            }
        }
        catch (Exception ex)
        {
            var fault = limits.Fault(ex, out var error);
            if (fault is AttemptFault.Cancelled or AttemptFault.DeadlinePassed)
            {
                return Cancel(activity, input, new CancelledAttempt(fault, ex), s.Response, end: 0);
            }

            s.Response?.Dispose();
            s.Response = null;
            s.Error = error;
            s.CutAtDeadline = fault == AttemptFault.CutAtDeadline;
            s.End = _time.GetTimestamp();
            Judge(ref s, input, limits, readRetryAfter: false);
        }
        finally
        {
            limits.EndAttempt();
        }

        var record = Report(activity, input, path, s);
        if (!s.Decision.ShouldRetry)
        {
            return new AttemptResult { End = AttemptEnd.Final, Signal = s.ReportedSignal, Record = record, Decision = s.Decision, Response = s.Response, Error = s.Error, RetryAfter = s.RetryAfter, Ended = s.End };
        }

        record.Delay = s.Decision.Delay;
        record.DelaySource = s.Decision.Source;
        _telemetry.Retrying(input.Request.Method, input.Uri, record, _policy.Options.RetryOn);
        if (s.Response is { } discarded)
        {
            // A body already read in part cannot be drained: it is only disposed.
            if (s.BodyStep)
            {
                discarded.Dispose();
            }
            else
            {
                await ResponseDiscard.DiscardAsync(discarded, limits.DiscardToken, _time).ConfigureAwait(false);
            }
        }

        return new AttemptResult { End = AttemptEnd.Retry, Signal = s.ReportedSignal, Record = record, Decision = s.Decision, Error = s.Error, RetryAfter = s.RetryAfter, Ended = s.End };
    }

    /// <summary>Classifies the outcome, reads the server's wait when it matters, and decides.</summary>
    private void Judge(ref State s, in AttemptInput input, IAttemptLimits limits, bool readRetryAfter)
    {
        s.Verdict = _policy.Classify(input.Request, input.Attempt, s.Error is null ? s.Response : null, s.Error);

        // Only a response that may be retried or that throttles has a Retry-After worth reading.
        s.RetryAfter = readRetryAfter && (s.Verdict.Retryable || s.Verdict.Signal == HostSignal.Throttled) ? _policy.ReadRetryAfter(s.Response) : null;
        s.Decision = _policy.Decide(
            input.Request.Method, input.HasIdempotencyKey, input.Attempt, s.Verdict, input.BodyReplayable, s.RetryAfter, input.PreviousDelay, limits.ElapsedAt(s.End));
        if (input.Permit.IsLastTry && s.Decision.Stop == RetryStopReason.None)
        {
            // The request waited for the open circuit as long as its attempts would have taken: this probe was its last.
            s.Decision = RetryDecision.StopWith(RetryStopReason.CircuitOpen);
        }
    }

    /// <summary>Takes in what the final body step reported: a cancellation, or a read error that is judged again.</summary>
    private CancelledAttempt? OnBody(ref State s, in AttemptInput input, IAttemptLimits limits, IAttemptPath path)
    {
        var body = path.Body;
        if (body.Cancelled)
        {
            return new CancelledAttempt(AttemptFault.Cancelled, null);
        }

        if (path.BodyInAttempt)
        {
            s.End = _time.GetTimestamp();
        }

        if (body.ReadError is { } readError)
        {
            // A body cut mid-way is a failed attempt like any transport error: retried when the rules allow.
            s.Error = readError;
            s.CutAtDeadline = body.CutAtDeadline;
            Judge(ref s, input, limits, readRetryAfter: false);
        }

        return null;
    }

    /// <summary>Reports the attempt to the host and records it.</summary>
    private AttemptRecord Report(Activity? activity, in AttemptInput input, IAttemptPath path, in State s)
    {
        // A deadline that cuts the attempt is the request's own limit, not a signal about the host. The round trip is the
        // time to the response's headers; a timeout or a transport error measures none.
        TimeSpan? roundTrip = s.Response is not null ? _time.GetElapsedTime(input.Sent, s.HeadersAt) : null;
        input.Permit.Complete(
            s.ReportedSignal, _policy.CapRetryAfter(s.RetryAfter), path.RegistryTimeAt(s.End), roundTrip);

        var record = new AttemptRecord(input.Attempt, s.Response?.StatusCode, s.Error, s.Verdict.ErrorType, input.HostWait, _time.GetElapsedTime(input.Sent, s.End));
        input.History.Add(record);
        var outcome = s.Verdict.Retryable ? AttemptOutcome.Retryable : s.Error is null ? AttemptOutcome.Final : AttemptOutcome.Error;
        _telemetry.AttemptEnded(activity, input.Request.Method, input.Uri, record, outcome);
        return record;
    }

    /// <summary>Ends a cancelled attempt: the caller's own limit, never a signal about the host.</summary>
    private AttemptResult Cancel(Activity? activity, in AttemptInput input, CancelledAttempt cancelled, HttpResponseMessage? response, long end)
    {
        var status = cancelled.Exception is null ? response?.StatusCode : null;
        response?.Dispose();
        input.Permit.Complete(HostSignal.Cancelled, serverRetryAfter: null);
        var errorType = cancelled.Fault == AttemptFault.DeadlinePassed ? AttemptClassifier.TimeoutErrorType : CancelledErrorType;
        var duration = end == 0 ? _time.GetElapsedTime(input.Sent) : _time.GetElapsedTime(input.Sent, end);
        var record = new AttemptRecord(input.Attempt, status, cancelled.Exception, errorType, input.HostWait, duration);
        input.History.Add(record);
        _telemetry.AttemptEnded(activity, input.Request.Method, input.Uri, record, AttemptOutcome.Cancelled);
        return new AttemptResult { End = AttemptEnd.Cancelled, Signal = HostSignal.Cancelled, Record = record, Fault = cancelled.Fault, Error = cancelled.Exception };
    }

    private readonly record struct CancelledAttempt(AttemptFault Fault, Exception? Exception);

    /// <summary>The attempt's state as it goes.</summary>
    private struct State
    {
        public HttpResponseMessage? Response;
        public Exception? Error;
        public AttemptVerdict Verdict;
        public RetryDecision Decision;
        public TimeSpan? RetryAfter;
        public long HeadersAt;
        public long End;
        public bool CutAtDeadline;
        public bool BodyStep;

        /// <summary>Gets what the attempt tells the host: a deadline that cut it is the request's own limit, not a host signal.</summary>
        public readonly HostSignal ReportedSignal => CutAtDeadline ? HostSignal.Cancelled : Verdict.Signal;
    }
}
