using System.Runtime.ExceptionServices;
using Reprise.Attempts;
using Reprise.Hosts;
using Reprise.Hosts.Evidence;
using Reprise.Requests;
using Reprise.Responses;
using Reprise.Retry;
using Reprise.Telemetry;
using Reprise.Timing;
using Reprise.Transport;

namespace Reprise;

/// <summary>
/// A <see cref="DelegatingHandler"/> that retries requests on the statuses and errors the caller chooses, with
/// backoff and jitter, <c>Retry-After</c>, per-attempt timeouts and an overall deadline; requests that share a
/// <see cref="HostRegistry"/> share what they learn about each host.
/// </summary>
/// <remarks>
/// The path of a request: capture the body once, then for each attempt ask the host for a permit (it may wait for
/// a shared pause, the breaker or a limit), send (the caller's own message on the first attempt of a request without a
/// body, a fresh copy of the request as given otherwise), classify the outcome, and either return it or wait
/// (backoff or <c>Retry-After</c>, never past the deadline) and try again. The attempt history is attached to the
/// request: <see cref="RetryHistoryExtensions.GetRetryHistory(HttpResponseMessage)"/>.
/// </remarks>
public sealed class RepriseHandler : DelegatingHandler, IAttemptPath
{
    // Each request's key for its host's evidence: unique per process, so any registry may share them.
    private static long s_requestKeys;

    private readonly RetryPolicy _policy;
    private readonly RepriseOptions _options;
    private readonly HostRegistry _hosts;
    private readonly TimeProvider _timeProvider;
    private readonly RepriseTelemetry _telemetry;
    private readonly RequestTimeoutsPool _timeouts;
    private readonly AttemptExecutor _executor;

    // The registry's clock, whose provider is _timeProvider: one reading serves the request and its host.
    private readonly RegistryClock _clock;

    /// <summary>Initializes a new instance of the <see cref="RepriseHandler"/> class.</summary>
    /// <param name="options">The retry options; validated and copied here, so later changes to them have no effect.</param>
    /// <param name="hosts">The host registry to share; a registry of this handler's own when null.</param>
    /// <param name="timeProvider">
    /// The time source: with <paramref name="hosts"/>, null or the registry's own (<see cref="HostRegistry.TimeProvider"/>);
    /// without, the time source of the handler's own registry (<see cref="TimeProvider.System"/> when null).
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="timeProvider"/> is not the time source of <paramref name="hosts"/>.</exception>
    public RepriseHandler(RepriseOptions options, HostRegistry? hosts = null, TimeProvider? timeProvider = null)
        : this(options, hosts, timeProvider, telemetry: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RepriseHandler"/> class with an inner handler.</summary>
    /// <param name="innerHandler">The handler that sends each attempt.</param>
    /// <param name="options">The retry options; validated and copied here, so later changes to them have no effect.</param>
    /// <param name="hosts">The host registry to share; a registry of this handler's own when null.</param>
    /// <param name="timeProvider">
    /// The time source: with <paramref name="hosts"/>, null or the registry's own (<see cref="HostRegistry.TimeProvider"/>);
    /// without, the time source of the handler's own registry (<see cref="TimeProvider.System"/> when null).
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="timeProvider"/> is not the time source of <paramref name="hosts"/>.</exception>
    public RepriseHandler(HttpMessageHandler innerHandler, RepriseOptions options, HostRegistry? hosts = null, TimeProvider? timeProvider = null)
        : this(options, hosts, timeProvider)
    {
        InnerHandler = innerHandler;
    }

    internal RepriseHandler(RepriseOptions options, HostRegistry? hosts, TimeProvider? timeProvider, RepriseTelemetry? telemetry)
    {
        // Copied once: the timeouts' pool and every request read the same options, whatever the caller changes later.
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        _timeProvider = HostRegistry.SharedTimeProvider(hosts, timeProvider, nameof(timeProvider));
        _policy = new RetryPolicy(options, _timeProvider);
        _options = options;
        _hosts = hosts ?? new HostRegistry(_timeProvider);
        _telemetry = telemetry ?? RepriseTelemetry.Create(options.Telemetry);
        _telemetry.Observe(_hosts);
        _executor = new AttemptExecutor(_policy, _telemetry);
        _timeouts = new RequestTimeoutsPool(options.Deadline, options.AttemptTimeout, _timeProvider);
        _clock = _hosts.Clock;
    }

    /// <summary>Gets the host registry this handler shares.</summary>
    public HostRegistry Hosts => _hosts;

    /// <inheritdoc/>
    /// <remarks>
    /// Runs the asynchronous path and blocks the calling thread until it ends (waits included): there is one attempt
    /// path, and every await in it is <c>ConfigureAwait(false)</c>, so blocking cannot deadlock on a synchronization
    /// context. It holds a thread for the whole call; prefer <see cref="SendAsync"/>.
    /// </remarks>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        => SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no RequestUri and the HttpClient has no BaseAddress.");

        // Read before the first attempt, which may send the caller's own message: retries start from the request as given.
        var template = RequestTemplate.Capture(request);
        var hasContent = request.Content is not null;
        var history = new RetryHistory();
        var started = _timeProvider.GetTimestamp();
        var timeouts = _timeouts.Rent(cancellationToken, started);
        long? ended = null;
        try
        {
            var body = RequestBody.None;
            var previousDelay = TimeSpan.Zero;

            // What the request tells its host about its own attempts, so the host tells its URL's trouble from its own.
            var urlHistory = UrlHistory.First(Interlocked.Increment(ref s_requestKeys));

            // One state machine for the whole call: an attempt's body as an async method of its own would cost a second
            // state machine on every attempt that waits for the network, so only the parts without an await are helpers.
            for (var attempt = 1; ; attempt++)
            {
                long waitStarted;
                HostPermit permit;
                try
                {
                    // Before the first attempt the body is read; before a retry, the retry's delay is waited out.
                    if (attempt > 1)
                    {
                        await FullDelay.WaitAsync(previousDelay, _timeProvider, timeouts.Token).ConfigureAwait(false);
                    }
                    else if (hasContent)
                    {
                        body = await RequestBody.CaptureAsync(request.Content!, _options.MaxReplayableBodySize, timeouts.Token).ConfigureAwait(false);
                    }

                    // The first wait for the host starts with the request, unless a body was read in between.
                    waitStarted = attempt == 1 && !hasContent ? started : _timeProvider.GetTimestamp();
                    permit = await AcquireAsync(uri, urlHistory, attempt, waitStarted, timeouts).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex)
                {
                    throw Cancelled(ex, cancellationToken, timeouts, history);
                }

                using (permit)
                {
                    ThrowIfRefused(permit, uri, history);

                    // A request without a body goes out as the caller's own message the first time: nothing is copied
                    // unless a retry happens. A body is always sent from its captured copy.
                    var message = attempt == 1 && !hasContent ? request : template.Create(body.CreateContent());
                    var result = await _executor.RunAsync(
                        this, timeouts, AttemptOf(message, request, uri, attempt, permit, waitStarted, history, template.HasIdempotencyKey, body.IsReplayable, previousDelay))
                        .ConfigureAwait(false);

                    if (result.End == AttemptEnd.Cancelled)
                    {
                        throw Cancelled(result.Error!, cancellationToken, timeouts, history);
                    }

                    if (result.End == AttemptEnd.Final)
                    {
                        ended = result.Ended;
                        return Finish(request, history, result, timeouts.ElapsedAt(result.Ended));
                    }

                    urlHistory = NextUrlHistory(urlHistory, result);
                    previousDelay = result.Decision.Delay;
                    if (!ReferenceEquals(message, request))
                    {
                        message.Dispose();
                    }
                }
            }
        }
        finally
        {
            EndRequest(request, template.Method, uri, history, timeouts, hasContent, ended);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timeouts.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Bounds the body the caller reads after the call returns: the deadline goes on while it streams, and
    /// <see cref="RepriseOptions.MaxResponseBodySize"/> caps it. A body already buffered in the attempt met the deadline.
    /// </summary>
    private void BoundBody(HttpResponseMessage response, bool buffered, TimeSpan elapsed)
    {
        var content = response.Content;
        if (!ResponseDiscard.HasContent(response) || content is BoundedContent)
        {
            return;
        }

        var max = _options.MaxResponseBodySize ?? long.MaxValue;
        var remaining = buffered ? Timeout.InfiniteTimeSpan : RequestDeadline.Remaining(_options.Deadline, elapsed);
        if (max == long.MaxValue && remaining == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        var message = $"The response body was not read in full by the request's deadline of {_options.Deadline.TotalSeconds:0.###} s.";
        response.Content = new BoundedContent(content, max, remaining, _timeProvider, message);
    }

    /// <inheritdoc/>
    bool IAttemptPath.BodyInAttempt => true;

    /// <inheritdoc/>
    AttemptBody IAttemptPath.Body => default;

    /// <inheritdoc/>
    Task<HttpResponseMessage> IAttemptPath.SendAsync(HttpRequestMessage message, CancellationToken cancellationToken) => base.SendAsync(message, cancellationToken);

    /// <inheritdoc/>
    ValueTask IAttemptPath.ReadFinalBodyAsync(HttpResponseMessage response, in AttemptVerdict verdict, CancellationToken attemptToken)
    {
        // A final response: its body is read now, inside the attempt, so a body cut short is retried.
        return !verdict.Retryable && ShouldBuffer(response)
            ? new ValueTask(response.Content.LoadIntoBufferAsync(_options.MaxBufferedResponseSize, attemptToken))
            : ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    TimeSpan? IAttemptPath.RegistryTimeAt(long timestamp) => _clock.TimeAt(timestamp);

    /// <summary>
    /// Asks the request's host for an attempt. The host is looked up at each attempt: the registry may have dropped an
    /// idle host while this request waited. Not async: the first attempt's grant costs no state machine of its own.
    /// </summary>
    private ValueTask<HostPermit> AcquireAsync(Uri uri, UrlHistory urlHistory, int attempt, long waitStarted, RequestTimeouts timeouts)
    {
        var host = _hosts.GetState(uri, waitStarted);
        var budget = new HostWaitBudget(timeouts.RemainingAt(waitStarted), _options.MaxAttempts - attempt + 1, _options.AttemptTimeout);
        return host.AcquireAsync(urlHistory, isRetry: attempt > 1, budget, timeouts.Token);
    }

    private static void ThrowIfRefused(HostPermit permit, Uri uri, RetryHistory history)
    {
        if (!permit.IsAcquired)
        {
            history.StopReason = HostDenials.ToStopReason(permit.DenialReason);
            throw new RepriseRequestException(history, new HttpRequestException(HttpRequestError.Unknown, $"The host {uri.Authority} refused the attempt: {permit.DenialReason.Describe()}."));
        }
    }

    private AttemptInput AttemptOf(
        HttpRequestMessage message, HttpRequestMessage request, Uri uri, int attempt, HostPermit permit, long waitStarted, RetryHistory history,
        bool hasIdempotencyKey, bool bodyReplayable, TimeSpan previousDelay)
    {
        // The attempt is sent as soon as the host grants it: the grant's reading of the clock serves as the send time.
        var sent = Math.Max(waitStarted, _clock.TimestampAt(permit.GrantedAt));
        return new AttemptInput
        {
            Message = message,
            Request = request,
            Uri = uri,
            Attempt = attempt,
            Permit = permit,
            Sent = sent,
            HostWait = _timeProvider.GetElapsedTime(waitStarted, sent),
            History = history,
            HasIdempotencyKey = hasIdempotencyKey,
            BodyReplayable = bodyReplayable,
            PreviousDelay = previousDelay,
        };
    }

    /// <summary>What this URL's attempt told, for the host's evidence on the next one.</summary>
    private UrlHistory NextUrlHistory(UrlHistory urlHistory, in AttemptResult result)
        => urlHistory.Next(
            result.Signal, afterOwnWait: result.Decision.Source == RetryWaitSource.RetryAfter, _clock.TimeAt(result.Ended));

    /// <summary>
    /// Ends the call, however it ended: its elapsed time, the timeouts back to the pool, its history and telemetry.
    /// <paramref name="ended"/> is when the call's last attempt ended, if the call ended with an attempt; else null.
    /// </summary>
    private void EndRequest(HttpRequestMessage request, HttpMethod method, Uri uri, RetryHistory history, RequestTimeouts timeouts, bool hasContent, long? ended)
    {
        // A call that ended with an attempt ended when that attempt did, by definition of Elapsed.
        history.Elapsed = timeouts.ElapsedAt(ended ?? _timeProvider.GetTimestamp());

        // A request with a body may still be sending it on an HTTP/2 stream registered on the token: not reused.
        _timeouts.Return(timeouts, tokenReleased: !hasContent);

        // Attached when the call ends, so that attempts copy none of it; read it with GetRetryHistory().
        request.Options.Set(RetryHistory.OptionsKey, history);
        _telemetry.RequestEnded(method, uri, history);
    }

    private HttpResponseMessage Finish(HttpRequestMessage request, RetryHistory history, in AttemptResult result, TimeSpan elapsed)
    {
        history.StopReason = StopReasons.Refine(result.Decision.Stop, result.Error);
        if (result.Response is { } response)
        {
            response.RequestMessage = request;

            // Only a final, non-retryable response had its body read inside the attempt (ReadFinalBodyAsync).
            BoundBody(response, buffered: result.Decision.Stop == RetryStopReason.Completed && ShouldBuffer(response), elapsed);
            return response;
        }

        if (result.Decision.Stop == RetryStopReason.NonRetryableError)
        {
            ExceptionDispatchInfo.Throw(result.Error!);
        }

        throw new RepriseRequestException(history, result.Error);
    }

    private bool ShouldBuffer(HttpResponseMessage response)
    {
        // A response without content has nothing to read, and asking the length of its stand-in content would store a
        // Content-Length of 0 in headers nobody asked for.
        return ResponseDiscard.HasContent(response)
            && response.Content.Headers.ContentLength is { } length and > 0 && length <= _options.MaxBufferedResponseSize;
    }

    private Exception Cancelled(Exception exception, CancellationToken callerToken, RequestTimeouts timeouts, RetryHistory history)
    {
        if (callerToken.IsCancellationRequested)
        {
            // The caller's own cancellation is never retried and keeps the caller's token.
            history.StopReason = RetryStopReason.Cancelled;
            return new TaskCanceledException(exception.Message, exception, callerToken);
        }

        if (timeouts.DeadlineExceeded)
        {
            history.StopReason = RetryStopReason.DeadlineExceeded;
            var message = $"The request exceeded its deadline of {_options.Deadline.TotalSeconds:0.###} s after {history.Count} attempt(s).";
            return new TaskCanceledException(message, new TimeoutException(message, exception));
        }

        return exception;
    }
}
