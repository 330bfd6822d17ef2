using Reprise.Attempts;
using Reprise.Retry;
using Reprise.Timing;

namespace Reprise.Bulk;

/// <summary>A worker's side of the shared attempt (<see cref="AttemptExecutor"/>): its transport, its limits and its body step.</summary>
internal sealed partial class BulkRun
{
    /// <summary>One per worker, which runs one attempt at a time: it holds the attempt's item, limit and body.</summary>
    private sealed class WorkerPath : IAttemptPath, IAttemptLimits, IDisposable
    {
        private readonly BulkRun _run;
        private BulkWorkItem? _item;
        private TimeSpan _limit;
        private bool _deadlineBound;
        private BodyOutcome _body;

        public WorkerPath(BulkRun run)
        {
            _run = run;
            Timeout = new ReusableTimeoutScope(run._token, run._time);
        }

        /// <summary>Gets the worker's timeout, re-armed for each attempt and each body read.</summary>
        public ReusableTimeoutScope Timeout { get; }

        /// <summary>Gets what the last body read produced.</summary>
        public BodyOutcome LastBody => _body;

        public bool BodyInAttempt => false;

        public AttemptBody Body => new(_body.ReadError, _body.CutAtDeadline, _body.Cancelled);

        public CancellationToken DiscardToken => _run._token;

        /// <summary>Prepares an attempt: one timer, the attempt timeout or what is left of the deadline when that is shorter.</summary>
        public void Prepare(BulkWorkItem item, TimeSpan remaining, TimeSpan attemptTimeout)
        {
            _item = item;
            _body = default;
            _deadlineBound = remaining != System.Threading.Timeout.InfiniteTimeSpan
                && (attemptTimeout == System.Threading.Timeout.InfiniteTimeSpan || remaining <= attemptTimeout);
            _limit = _deadlineBound ? remaining : attemptTimeout;
        }

        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
            => _run._engine.Invoker.SendAsync(message, cancellationToken);

        public ValueTask ReadFinalBodyAsync(HttpResponseMessage response, in AttemptVerdict verdict, CancellationToken attemptToken)
        {
            // The attempt timeout ends at the headers; the body has a limit of its own.
            Timeout.Stop();
            return ReadAsync(response);
        }

        public TimeSpan? RegistryTimeAt(long timestamp) => null;

        public CancellationToken BeginAttempt(long sent) => Timeout.Start(_limit);

        public void EndAttempt() => Timeout.Stop();

        public AttemptFault Fault(Exception exception, out Exception error)
        {
            error = exception;
            if (exception is not OperationCanceledException)
            {
                return AttemptFault.Error;
            }

            if (Timeout.TimedOut && !_run._token.IsCancellationRequested)
            {
                error = _deadlineBound
                    ? new TimeoutException($"The attempt was cut at the request's deadline of {Seconds(_run._retry.Deadline)} s.", exception)
                    : new TimeoutException($"The attempt timed out after {Seconds(_run._retry.AttemptTimeout)} s.", exception);
                return _deadlineBound ? AttemptFault.CutAtDeadline : AttemptFault.Error;
            }

            // The run's cancellation is never retried and says nothing about the host.
            return _run._token.IsCancellationRequested ? AttemptFault.Cancelled : AttemptFault.Error;
        }

        public TimeSpan ElapsedAt(long timestamp)
            => _item!.FirstSent == 0 ? TimeSpan.Zero : _run._time.GetElapsedTime(_item.FirstSent, timestamp);

        public void Dispose() => Timeout.Dispose();

        private async ValueTask ReadAsync(HttpResponseMessage response)
        {
            _body = await _run.ReadBodyAsync(_item!, response, Timeout).ConfigureAwait(false);
        }
    }
}
