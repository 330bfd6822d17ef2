using System.Net;
using System.Net.Sockets;
using Reprise.Backoff;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests;

public class RepriseHandlerTests
{
    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, 4)]
    [InlineData(HttpStatusCode.TooManyRequests, 4)]
    [InlineData(HttpStatusCode.InternalServerError, 4)]
    [InlineData(HttpStatusCode.BadGateway, 4)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 4)]
    [InlineData(HttpStatusCode.GatewayTimeout, 4)]
    [InlineData(HttpStatusCode.OK, 1)]
    [InlineData(HttpStatusCode.NoContent, 1)]
    [InlineData(HttpStatusCode.BadRequest, 1)]
    [InlineData(HttpStatusCode.Unauthorized, 1)]
    [InlineData(HttpStatusCode.Forbidden, 1)]
    [InlineData(HttpStatusCode.NotFound, 1)]
    [InlineData(HttpStatusCode.NotImplemented, 1)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported, 1)]
    public async Task SendAsync_Status_IsRetriedOnlyWhenInTheDefaultSet(HttpStatusCode status, int expectedAttempts)
    {
        using var harness = new HandlerHarness(ScriptedHandler.Always(status));

        using var response = await harness.GetAsync();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(expectedAttempts, harness.Inner.Sent.Count);
        var history = response.GetRetryHistory()!;
        Assert.Equal(expectedAttempts, history.Attempts.Count);
        Assert.Equal(expectedAttempts == 1 ? RetryStopReason.Completed : RetryStopReason.AttemptsExhausted, history.StopReason);
    }

    [Fact]
    public async Task SendAsync_FailuresThenSuccess_ReturnsTheSuccessWithItsHistory()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK));

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var history = response.GetRetryHistory()!;
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK], history.Attempts.Select(a => a.StatusCode!.Value));
        Assert.Equal(RetryStopReason.Completed, history.StopReason);

        // Full jitter pinned at 0.5: half of 1 s, then half of 2 s.
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.Zero], history.Attempts.Select(a => a.Delay));
        Assert.All(history.Attempts.Take(2), a => Assert.Equal(RetryWaitSource.Backoff, a.DelaySource));
    }

    [Fact]
    public async Task SendAsync_CustomRetryOn_RetriesOnlyThoseStatuses()
    {
        using var harness = new HandlerHarness(
            ScriptedHandler.Statuses(HttpStatusCode.NotImplemented, HttpStatusCode.OK),
            o => o.RetryOn = StatusCodeSet.Parse("429,500-504"));

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task SendAsync_CallerPredicate_AddsItsOwnRule()
    {
        var seen = new List<int>();
        using var harness = new HandlerHarness(
            ScriptedHandler.Statuses(HttpStatusCode.NotFound, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK),
            o => o.ShouldRetry = args =>
            {
                seen.Add(args.AttemptNumber);
                return args.Response?.StatusCode == HttpStatusCode.NotFound;
            });

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, harness.Inner.Sent.Count);
        Assert.Equal([1, 3], seen); // asked only where the status set did not already decide
    }

    [Fact]
    public async Task SendAsync_TransportFailuresExhaustAttempts_ThrowsHttpRequestExceptionWithHistory()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Throws(
            () => new HttpRequestException(HttpRequestError.ConnectionError, "reset", new SocketException((int)SocketError.ConnectionReset))));

        var error = await Assert.ThrowsAsync<RepriseRequestException>(() => harness.GetAsync());

        Assert.IsAssignableFrom<HttpRequestException>(error);
        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal(RetryStopReason.AttemptsExhausted, error.StopReason);
        Assert.Equal(4, error.History.Attempts.Count);
        Assert.All(error.History.Attempts, a =>
        {
            Assert.Null(a.StatusCode);
            Assert.Equal("connection_reset", a.ErrorType);
            Assert.IsType<HttpRequestException>(a.Exception);
        });
        Assert.Equal([RetryWaitSource.Backoff, RetryWaitSource.Backoff, RetryWaitSource.Backoff, RetryWaitSource.None], error.History.Attempts.Select(a => a.DelaySource));
    }

    [Fact]
    public async Task SendAsync_UnexpectedException_IsNotRetriedAndPropagatesAsIs()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Throws(() => new InvalidOperationException("bug")));

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.GetAsync());

        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task SendAsync_AttemptHangs_TimesOutAndTheRetrySucceeds()
    {
        var inner = new ScriptedHandler((attempt, _, ct) => attempt == 1
            ? ScriptedHandler.Hang(ct)
            : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        using var harness = new HandlerHarness(inner, o => o.AttemptTimeout = TimeSpan.FromSeconds(5));

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = response.GetRetryHistory()!.Attempts[0];
        Assert.Equal("timeout", first.ErrorType);
        Assert.IsType<TimeoutException>(first.Exception);
        Assert.Equal(TimeSpan.FromSeconds(5), first.Duration);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsDuringWait_ThrowsWithTheCallersTokenAndStops()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Always(HttpStatusCode.ServiceUnavailable), o => o.BackoffType = BackoffType.Constant);
        using var cts = new CancellationTokenSource();

        var call = harness.Client.GetAsync("http://example.test/", cts.Token);
        Assert.Single(harness.Inner.Sent); // now waiting 1 s on the fake clock
        await cts.CancelAsync();
        harness.Time.AdvanceInline(TimeSpan.FromMinutes(5));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsDuringAttempt_IsNeverRetried()
    {
        var inner = new ScriptedHandler((_, _, ct) => ScriptedHandler.Hang(ct));
        using var harness = new HandlerHarness(inner);
        using var cts = new CancellationTokenSource();
        var request = new HttpRequestMessage(HttpMethod.Get, "http://example.test/");

        var call = harness.Client.SendAsync(request, cts.Token);
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Single(harness.Inner.Sent);
        Assert.Equal(RetryStopReason.Cancelled, request.GetRetryHistory()!.StopReason);
    }

    [Fact]
    public async Task SendAsync_NextWaitWouldPassTheDeadline_ReturnsAtOnceWithTheReason()
    {
        using var harness = new HandlerHarness(
            ScriptedHandler.Always(HttpStatusCode.ServiceUnavailable),
            o =>
            {
                o.BackoffType = BackoffType.Constant;
                o.BaseDelay = TimeSpan.FromSeconds(4);
                o.Deadline = TimeSpan.FromSeconds(10);
            });

        var started = harness.Time.GetUtcNow();
        using var response = await harness.GetAsync();

        // Attempts at 0 s, 4 s and 8 s; a wait to 12 s would pass the 10 s deadline, so the call ends at 8 s.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(3, harness.Inner.Sent.Count);
        Assert.Equal(RetryStopReason.DeadlineExceeded, response.GetRetryHistory()!.StopReason);
        Assert.InRange(harness.Time.GetUtcNow() - started, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8.1));
    }

    [Fact]
    public async Task SendAsync_DeadlinePassesDuringAnAttempt_ThrowsTimeoutAsTaskCanceled()
    {
        var inner = new ScriptedHandler((_, _, ct) => ScriptedHandler.Hang(ct));
        using var harness = new HandlerHarness(inner, o =>
        {
            o.AttemptTimeout = Timeout.InfiniteTimeSpan;
            o.Deadline = TimeSpan.FromSeconds(3);
        });
        var request = new HttpRequestMessage(HttpMethod.Get, "http://example.test/");

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => harness.SendAsync(request));

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Single(harness.Inner.Sent);
        Assert.Equal(RetryStopReason.DeadlineExceeded, request.GetRetryHistory()!.StopReason);
    }

    [Fact]
    public async Task SendAsync_DeadlineCutsAnAttempt_IsNotAHostTimeout()
    {
        // The deadline is the caller's own limit: a slow but healthy host must not see its breaker open for it.
        var inner = new ScriptedHandler((_, _, ct) => ScriptedHandler.Hang(ct));
        using var harness = new HandlerHarness(
            inner,
            o =>
            {
                o.AttemptTimeout = Timeout.InfiniteTimeSpan;
                o.Deadline = TimeSpan.FromSeconds(3);
            },
            time => new HostRegistry(new HostCoordinationOptions { CircuitBreakerFailureThreshold = 1 }, time));

        await Assert.ThrowsAsync<TaskCanceledException>(() => harness.GetAsync("http://slow.test/"));

        Assert.Equal(HostCircuitState.Closed, harness.Handler.Hosts.GetSnapshot(new Uri("http://slow.test/"))!.CircuitState);
    }

    [Fact]
    public async Task SendAsync_AttemptTimesOutThenSucceeds_RoundTripEstimateTakesOnlyTheResponse()
    {
        // A timeout measures no round trip: only the second attempt's (instant) response is sampled, so the estimate
        // goes from its initial 100 ms to 87.5 ms, and a full host's hint is that over its limit of one.
        var inner = new ScriptedHandler((attempt, _, ct) => attempt == 1 ? ScriptedHandler.Hang(ct) : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        using var harness = new HandlerHarness(
            inner,
            o => o.AttemptTimeout = TimeSpan.FromSeconds(5),
            time => new HostRegistry(new HostCoordinationOptions { MaxConcurrency = 1, AdaptiveConcurrencyEnabled = false }, time));

        using var response = await harness.GetAsync("http://rtt.test/");

        var host = harness.Handler.Hosts.GetState(new Uri("http://rtt.test/"));
        using var held = host.TryAcquire(isRetry: false);
        using var refused = host.TryAcquire(isRetry: false);
        Assert.Equal(HostDenialReason.ConcurrencyLimit, refused.DenialReason);
        Assert.Equal(TimeSpan.FromMilliseconds(87.5), refused.WaitHint);
    }

    [Fact]
    public void Send_Synchronous_RetriesThroughTheSamePath()
    {
        using var harness = new HandlerHarness(
            ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), o => (o.BaseDelay, o.MaxDelay) = (TimeSpan.Zero, TimeSpan.Zero));
        var request = new HttpRequestMessage(HttpMethod.Get, "http://example.test/");

        using var response = harness.Client.Send(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, request.GetRetryHistory()!.Count);
    }

    [Fact]
    public async Task SendAsync_OptionsChangedAfterConstruction_KeepsTheOptionsItWasBuiltWith()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));
        harness.Options.MaxAttempts = 1;

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SendAsync_RetryAfterDelta_WaitsExactlyWhatTheServerAsked()
    {
        var inner = new ScriptedHandler((attempt, _, _) =>
        {
            var response = new HttpResponseMessage(attempt == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
            response.Headers.TryAddWithoutValidation("Retry-After", "7");
            return Task.FromResult(response);
        });
        using var harness = new HandlerHarness(inner);

        using var response = await harness.GetAsync();

        var first = response.GetRetryHistory()!.Attempts[0];
        Assert.Equal(TimeSpan.FromSeconds(7), first.Delay);
        Assert.Equal(RetryWaitSource.RetryAfter, first.DelaySource);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-3")]
    [InlineData("99999999999999999999999")]
    public async Task SendAsync_UnusableRetryAfter_FallsBackToTheBackoff(string retryAfter)
    {
        var inner = new ScriptedHandler((attempt, _, _) =>
        {
            var response = new HttpResponseMessage(attempt == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            return Task.FromResult(response);
        });
        using var harness = new HandlerHarness(inner);

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = response.GetRetryHistory()!.Attempts[0];
        Assert.Equal(RetryWaitSource.Backoff, first.DelaySource);
        Assert.Equal(TimeSpan.FromSeconds(0.5), first.Delay);
    }

    [Fact]
    public async Task SendAsync_RetryAfterBeyondTheCap_EndsAtOnceWithTheReason()
    {
        var inner = new ScriptedHandler((_, _, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.TryAddWithoutValidation("Retry-After", "3600");
            return Task.FromResult(response);
        });
        using var harness = new HandlerHarness(inner);
        var started = harness.Time.GetUtcNow();

        using var response = await harness.GetAsync();

        Assert.Single(harness.Inner.Sent);
        Assert.Equal(RetryStopReason.RetryAfterTooLong, response.GetRetryHistory()!.StopReason);
        Assert.Equal(started, harness.Time.GetUtcNow());
    }

    [Fact]
    public async Task SendAsync_DiscardedResponses_AreDisposedAndTheLastIsNot()
    {
        ScriptedHandler inner = null!;
        inner = new ScriptedHandler((_, _, _) => Task.FromResult(inner.Tracked(HttpStatusCode.BadGateway)));
        using var harness = new HandlerHarness(inner);

        using var response = await harness.GetAsync();

        Assert.Equal(4, inner.Contents.Count);
        Assert.Equal(3, inner.Contents.Count(c => c.Disposed));
        Assert.False(inner.Contents[^1].Disposed);
        Assert.Equal("body", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SendAsync_EachAttempt_SendsAFreshCopyOfTheRequest()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));
        var key = new HttpRequestOptionsKey<string>("tenant");
        var request = new HttpRequestMessage(HttpMethod.Put, "http://example.test/items/1")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new StringContent("{\"a\":1}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Custom", ["one", "two"]);
        request.Headers.Authorization = new("Bearer", "token");
        request.Options.Set(key, "acme");

        using var response = await harness.SendAsync(request);

        Assert.Equal(2, harness.Inner.Sent.Count);
        Assert.NotSame(harness.Inner.Sent[0].Message, harness.Inner.Sent[1].Message);
        Assert.All(harness.Inner.Sent, sent =>
        {
            Assert.NotSame(request, sent.Message);
            Assert.Equal(HttpMethod.Put, sent.Message.Method);
            Assert.Equal(request.RequestUri, sent.Message.RequestUri);
            Assert.Equal(HttpVersion.Version20, sent.Message.Version);
            Assert.Equal(HttpVersionPolicy.RequestVersionOrLower, sent.Message.VersionPolicy);
            Assert.Equal(["one", "two"], sent.Message.Headers.GetValues("X-Custom"));
            Assert.Equal("Bearer token", sent.Message.Headers.Authorization!.ToString());
            Assert.True(sent.Message.Options.TryGetValue(key, out var tenant) && tenant == "acme");
            Assert.Equal("{\"a\":1}"u8.ToArray(), sent.Body);
            Assert.Equal("application/json; charset=utf-8", sent.ContentType);
        });
        Assert.Same(request, response.RequestMessage);
    }

    [Fact]
    public async Task SendAsync_RequestWithoutBody_SendsTheCallersMessageFirstAndAFreshCopyOnRetry()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));
        var key = new HttpRequestOptionsKey<string>("tenant");
        var request = new HttpRequestMessage(HttpMethod.Get, "http://example.test/items/1") { Version = HttpVersion.Version20 };
        request.Headers.TryAddWithoutValidation("X-Custom", ["one", "two"]);
        request.Options.Set(key, "acme");

        using var response = await harness.SendAsync(request);

        Assert.Equal(2, harness.Inner.Sent.Count);
        Assert.Same(request, harness.Inner.Sent[0].Message);
        var retry = harness.Inner.Sent[1].Message;
        Assert.NotSame(request, retry);
        Assert.Equal(HttpMethod.Get, retry.Method);
        Assert.Equal(request.RequestUri, retry.RequestUri);
        Assert.Equal(HttpVersion.Version20, retry.Version);
        Assert.Equal(["one", "two"], retry.Headers.GetValues("X-Custom"));
        Assert.True(retry.Options.TryGetValue(key, out var tenant) && tenant == "acme");
        Assert.Null(retry.Content);
        Assert.Same(request, response.RequestMessage);
    }

    [Fact]
    public async Task SendAsync_InnerHandlerChangesTheFirstMessage_RetrySendsTheRequestAsGiven()
    {
        // What a redirect or a header-adding handler below Reprise does to the message it sends must not carry over.
        var key = new HttpRequestOptionsKey<string>("added");
        var inner = new ScriptedHandler((attempt, message, _) =>
        {
            if (attempt == 1)
            {
                message.RequestUri = new Uri("http://elsewhere.test/moved");
                message.Method = HttpMethod.Head;
                message.Headers.Add("X-Added", "by the inner handler");
                message.Options.Set(key, "by the inner handler");
            }

            return Task.FromResult(new HttpResponseMessage(attempt == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK));
        });
        using var harness = new HandlerHarness(inner);
        var request = new HttpRequestMessage(HttpMethod.Get, "http://example.test/items/1");

        using var response = await harness.SendAsync(request);

        var retry = harness.Inner.Sent[1].Message;
        Assert.Equal(HttpMethod.Get, retry.Method);
        Assert.Equal(new Uri("http://example.test/items/1"), retry.RequestUri);
        Assert.False(retry.Headers.Contains("X-Added"));
        Assert.False(retry.Options.TryGetValue(key, out _));
        Assert.Equal(2, response.GetRetryHistory()!.Attempts.Count);
    }

    [Fact]
    public async Task SendAsync_IdempotencyKeyOnTheRequest_AllowsRetryingAPostWithoutBody()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));
        var request = new HttpRequestMessage(HttpMethod.Post, "http://example.test/orders");
        request.Headers.Add("Idempotency-Key", "8e03978e-40d5-43e8-bc93-6894a57f9324");

        using var response = await harness.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Inner.Sent.Count);
        Assert.Equal("8e03978e-40d5-43e8-bc93-6894a57f9324", harness.Inner.Sent[1].Message.Headers.GetValues("Idempotency-Key").Single());
    }

    [Fact]
    public async Task SendAsync_HostPaused_RecordsTheWaitForTheHostAndTheAttemptApart()
    {
        var inner = new ScriptedHandler((attempt, _, _) => Task.FromResult(attempt == 1
            ? new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromSeconds(2)) } }
            : new HttpResponseMessage(HttpStatusCode.OK)));
        using var harness = new HandlerHarness(inner, o => o.MaxAttempts = 1, hosts: time => new HostRegistry(new HostCoordinationOptions(), time, () => 0.0));
        using var throttled = await harness.GetAsync();
        harness.Time.AdvanceInline(TimeSpan.FromMilliseconds(10));

        using var response = await harness.GetAsync(step: TimeSpan.FromMilliseconds(10));

        // One URL's 429 does not pause the host for its 2 s: it holds the host for the 50 ms of the check that tells
        // the URL's Retry-After from the host's (docs/host-coordination.md). The second request waited out the rest.
        var attempt = Assert.Single(response.GetRetryHistory()!.Attempts);
        Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(40), attempt.HostWait);
        Assert.Equal(TimeSpan.Zero, attempt.Duration);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => new RepriseHandler(new RepriseOptions { MaxAttempts = 0 }));

        Assert.Equal("MaxAttempts: The field RepriseOptions.MaxAttempts must be between 1 and 100.", error.Message);
    }
}
