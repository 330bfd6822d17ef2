using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Attempts;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Telemetry;
using Reprise.Timing;
using static Reprise.Tests.TestSupport.ScriptedHandler;

namespace Reprise.Tests.Attempts;

/// <summary>The shared attempt on its own: a scripted path, the real limits and a host registry, all on fake time.</summary>
public sealed class AttemptExecutorTests : IDisposable
{
    private static readonly Uri Uri = new("https://api.test/items");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource _caller = new();
    private readonly RepriseOptions _options;
    private readonly HostRegistry _hosts;
    private readonly RequestTimeouts _limits;
    private readonly HttpRequestMessage _request = new(HttpMethod.Get, Uri);
    private readonly RetryHistory _history = new();

    public AttemptExecutorTests()
    {
        _options = new RepriseOptions { AttemptTimeout = TimeSpan.FromSeconds(1), Randomizer = () => 0.5 };
        _hosts = new HostRegistry(
            new HostCoordinationOptions { AdaptiveConcurrencyEnabled = false, AdaptiveRateEnabled = false, MaxConcurrency = 1, MinConcurrency = 1 }, _time);
        _limits = new RequestTimeouts(_caller.Token, Timeout.InfiniteTimeSpan, _options.AttemptTimeout, _time);
    }

    [Fact]
    public async Task RunAsync_SuccessfulResponse_EndsFinalWithTheResponse()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        var path = new FakePath(_time, (_, _) => Task.FromResult(response));

        var result = await RunAsync(path);

        Assert.Equal(AttemptEnd.Final, result.End);
        Assert.Same(response, result.Response);
        Assert.Equal(RetryStopReason.Completed, result.Decision.Stop);
        Assert.Equal(HttpStatusCode.OK, Assert.Single(_history.Attempts).StatusCode);
    }

    [Fact]
    public async Task RunAsync_RetryableStatus_RetriesAfterTheDecisionsDelayAndDiscardsTheResponse()
    {
        var content = new TrackedContent();
        var path = new FakePath(_time, (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = content }));

        var result = await RunAsync(path);

        Assert.Equal(AttemptEnd.Retry, result.End);
        Assert.Null(result.Response);
        Assert.True(content.Disposed);
        Assert.True(result.Decision.ShouldRetry);
        Assert.True(result.Decision.Delay > TimeSpan.Zero);
        Assert.Equal(result.Decision.Delay, result.Record.Delay);
        Assert.Equal(RetryWaitSource.Backoff, result.Record.DelaySource);
    }

    [Fact]
    public async Task RunAsync_LastTryOfAWaiterFails_EndsFinalWithCircuitOpen()
    {
        var path = new FakePath(_time, (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)));
        var lastTry = HostPermit.Grant(_hosts.GetState(Uri), isProbe: true, holdsSlot: false, countedAsRequest: false, sequence: 1, TimeSpan.Zero, lastTry: true);

        var result = await RunAsync(path, lastTry);

        // The request waited for the open circuit as long as its attempts would have taken: no retry follows.
        Assert.Equal(AttemptEnd.Final, result.End);
        Assert.Equal(RetryStopReason.CircuitOpen, result.Decision.Stop);
        result.Response?.Dispose();
    }

    [Fact]
    public async Task RunAsync_RetryableStatusWithRetryAfter_WaitsWhatTheServerAsked()
    {
        var path = new FakePath(_time, (_, _) => Task.FromResult(WithRetryAfter(HttpStatusCode.ServiceUnavailable, seconds: 7)));

        var result = await RunAsync(path);

        Assert.Equal(AttemptEnd.Retry, result.End);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(7), result.Decision.Delay);
        Assert.Equal(RetryWaitSource.RetryAfter, result.Decision.Source);
    }

    [Fact]
    public async Task RunAsync_FinalResponseWithRetryAfter_DoesNotReadIt()
    {
        using var response = WithRetryAfter(HttpStatusCode.OK, seconds: 7);
        var path = new FakePath(_time, (_, _) => Task.FromResult(response));

        var result = await RunAsync(path);

        Assert.Equal(AttemptEnd.Final, result.End);
        Assert.Null(result.RetryAfter);
        Assert.Null(_hosts.GetSnapshot(Uri)!.PausedUntil);
    }

    [Fact]
    public async Task RunAsync_ThrottledResponseWithRetryAfter_PausesTheHost()
    {
        var path = new FakePath(_time, (_, _) => Task.FromResult(WithRetryAfter(HttpStatusCode.TooManyRequests, seconds: 7)));

        var result = await RunAsync(path);

        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(7), _hosts.GetSnapshot(Uri)!.PausedUntil);
    }

    [Fact]
    public async Task RunAsync_AttemptTimesOut_MapsToTimeoutExceptionAndRetries()
    {
        var path = new FakePath(_time, async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });

        var run = RunAsync(path);
        _time.Advance(_options.AttemptTimeout);
        var result = await run;

        Assert.Equal(AttemptEnd.Retry, result.End);
        Assert.IsType<TimeoutException>(result.Error);
        Assert.IsType<TimeoutException>(Assert.Single(_history.Attempts).Exception);
        Assert.Equal(AttemptClassifier.TimeoutErrorType, result.Record.ErrorType);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_EndsCancelledWithoutRetry()
    {
        var path = new FakePath(_time, async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });

        var run = RunAsync(path);
        await _caller.CancelAsync();
        var result = await run;

        Assert.Equal(AttemptEnd.Cancelled, result.End);
        Assert.Equal(AttemptFault.Cancelled, result.Fault);
        Assert.Equal(TimeSpan.Zero, result.Record.Delay);
        Assert.Single(_history.Attempts);
    }

    [Fact]
    public async Task RunAsync_Response_ReportsItsRoundTripToTheHost()
    {
        // One slot: a second permit is refused and told to wait one round trip (the estimate starts at 100 ms).
        var path = new FakePath(_time, (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)), latency: TimeSpan.FromMilliseconds(900));

        using var response = (await RunAsync(path)).Response;

        // (7 x 100 ms + 900 ms) / 8
        Assert.Equal(TimeSpan.FromMilliseconds(200), _hosts.GetState(Uri).TryAcquire(isRetry: false).WaitHint);
    }

    [Fact]
    public async Task RunAsync_Timeout_ReportsNoRoundTripToTheHost()
    {
        var path = new FakePath(_time, async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });

        var run = RunAsync(path);
        _time.Advance(_options.AttemptTimeout);
        await run;

        Assert.Equal(TimeSpan.FromMilliseconds(100), _hosts.GetState(Uri).TryAcquire(isRetry: false).WaitHint);
    }

    public void Dispose()
    {
        _limits.Dispose();
        _caller.Dispose();
        _request.Dispose();
    }

    private static HttpResponseMessage WithRetryAfter(HttpStatusCode status, int seconds)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        return response;
    }

    private async Task<AttemptResult> RunAsync(FakePath path, HostPermit? permit = null)
    {
        var executor = new AttemptExecutor(new RetryPolicy(_options, _time), RepriseTelemetry.Create(null));
        permit ??= _hosts.GetState(Uri).TryAcquire(isRetry: false);
        Assert.True(permit.IsAcquired);
        return await executor.RunAsync(path, _limits, new AttemptInput
        {
            Message = _request,
            Request = _request,
            Uri = Uri,
            Attempt = 1,
            Permit = permit,
            Sent = _time.GetTimestamp(),
            HostWait = TimeSpan.Zero,
            History = _history,
            HasIdempotencyKey = false,
            BodyReplayable = true,
            PreviousDelay = TimeSpan.Zero,
        });
    }

    /// <summary>A path that sends through a script, optionally taking <c>latency</c> of fake time to answer.</summary>
    private sealed class FakePath(FakeTimeProvider time, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, TimeSpan latency = default)
        : IAttemptPath
    {
        public bool BodyInAttempt => false;

        public AttemptBody Body => default;

        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
        {
            time.Advance(latency);
            return send(message, cancellationToken);
        }

        public ValueTask ReadFinalBodyAsync(HttpResponseMessage response, in AttemptVerdict verdict, CancellationToken attemptToken) => ValueTask.CompletedTask;

        public TimeSpan? RegistryTimeAt(long timestamp) => null;
    }
}
