using System.Net;
using System.Net.Http.Headers;
using Reprise.Bulk;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Tests.TestSupport;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

public class BulkEngineTimeoutTests
{
    [Fact]
    public async Task RunAsync_DeadlineCutsAnAttempt_IsNotAHostTimeout()
    {
        // The deadline is the request's own limit: a slow but healthy host must not see its breaker open for it.
        var time = NewClock();
        var handler = new BulkTestHandler(time, (_, _, _, token) => BulkTestHandler.Hang(token));
        var registry = new HostRegistry(new HostCoordinationOptions { CircuitBreakerFailureThreshold = 1 }, time);
        using var engine = new BulkEngine(
            handler, Options(o => (o.Retry.AttemptTimeout, o.Retry.Deadline) = (Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(3))), registry, time);

        await using var results = engine.RunAsync(Urls("http://slow.test/1")).GetAsyncEnumerator();
        var next = results.MoveNextAsync().AsTask();
        await WaitUntilAsync(() => engine.GetProgress().InFlight == 1);
        time.AdvanceInline(TimeSpan.FromSeconds(3));
        Assert.True(await next.WaitAsync(HangGuard));

        Assert.Equal(RetryStopReason.DeadlineExceeded, results.Current.StopReason);
        Assert.Equal(HostCircuitState.Closed, registry.GetSnapshot(new Uri("http://slow.test/"))!.CircuitState);
    }

    [Fact]
    public async Task RunAsync_RetryAfterPastTheDeadline_FailsWithoutWaiting()
    {
        var time = NewClock();
        var handler = new BulkTestHandler(time, (_, _, _, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(30));
            return Task.FromResult(response);
        });
        using var engine = Engine(handler, time, o => o.Retry.Deadline = TimeSpan.FromSeconds(20));

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/x")).CollectAsync());

        Assert.Equal(BulkOutcome.Failed, result.Outcome);
        Assert.Equal(RetryStopReason.DeadlineExceeded, result.StopReason);
        Assert.Equal(1, result.Attempts);
        Assert.Equal("The request reached its deadline of 20 s after 1 attempt(s). The last: HTTP 429 Too Many Requests.", result.Error);
    }

    [Fact]
    public async Task RunAsync_HangingAttempt_TimesOutOnTheClockAndIsRetried()
    {
        var time = NewClock();
        var handler = new BulkTestHandler(time, (_, attempt, _, token) => attempt == 1 ? BulkTestHandler.Hang(token) : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        using var engine = Engine(handler, time, o => o.Retry.AttemptTimeout = TimeSpan.FromSeconds(5));

        await using var results = engine.RunAsync(Urls("http://a.test/x")).GetAsyncEnumerator();
        var next = results.MoveNextAsync();
        await WaitUntilAsync(() => handler.Log.Count == 1);
        time.AdvanceInline(TimeSpan.FromSeconds(5));
        Assert.True(await next.AsTask().WaitAsync(HangGuard));

        var result = results.Current;
        Assert.Equal(BulkOutcome.Succeeded, result.Outcome);
        Assert.Equal(AttemptClassifier.TimeoutErrorType, result.History.Attempts[0].ErrorType);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task RunAsync_AttemptHangingPastTheDeadline_IsCutThereAndFails()
    {
        var time = NewClock();
        var handler = new BulkTestHandler(time, (_, _, _, token) => BulkTestHandler.Hang(token));
        using var engine = Engine(handler, time, o => (o.Retry.AttemptTimeout, o.Retry.Deadline) = (TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)));

        await using var results = engine.RunAsync(Urls("http://a.test/x")).GetAsyncEnumerator();
        var next = results.MoveNextAsync();
        await WaitUntilAsync(() => handler.Log.Count == 1);
        time.AdvanceInline(TimeSpan.FromSeconds(10));
        Assert.True(await next.AsTask().WaitAsync(HangGuard));

        var result = results.Current;
        Assert.Equal(BulkOutcome.Failed, result.Outcome);
        Assert.Equal(RetryStopReason.DeadlineExceeded, result.StopReason);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(AttemptClassifier.TimeoutErrorType, result.History.Attempts[0].ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(10), result.Elapsed);
    }

    [Fact]
    public async Task RunAsync_RequestQueuedBehindOthers_HasItsWholeDeadlineFromItsFirstAttempt()
    {
        // One worker: the second request waits 8 s behind the first, then takes 5 s. Its 10 s deadline runs from its
        // own first attempt, as a handler's does from the call a caller makes once it has a free slot.
        var time = NewClock();
        var handler = new BulkTestHandler(time, async (url, _, _, token) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(url.EndsWith("/first", StringComparison.Ordinal) ? 8 : 5), time, token).ConfigureAwait(false);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var engine = Engine(handler, time, o => (o.MaxConcurrency, o.Retry.AttemptTimeout, o.Retry.Deadline) = (1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)));

        await using var results = engine.RunAsync(Urls("http://a.test/first", "http://a.test/second")).GetAsyncEnumerator();
        var next = results.MoveNextAsync();
        await WaitUntilAsync(() => handler.Log.Count == 1);
        await AdvanceUntilAnsweredAsync(time, next);
        Assert.True(await next.AsTask().WaitAsync(HangGuard));
        Assert.Equal(BulkOutcome.Succeeded, results.Current.Outcome);

        next = results.MoveNextAsync();
        await WaitUntilAsync(() => handler.Log.Count == 2);
        await AdvanceUntilAnsweredAsync(time, next);
        Assert.True(await next.AsTask().WaitAsync(HangGuard));

        var second = results.Current;
        Assert.Equal("http://a.test/second", second.Url);
        Assert.Equal(BulkOutcome.Succeeded, second.Outcome);
        Assert.Equal(1, second.Attempts);
    }

    // The handler logs a request a moment before its delay's timer exists: advance a second at a time until the answer
    // comes, at most 9 s (under the 10 s deadline counted from the attempt), instead of one step that may come too early.
    private static async Task AdvanceUntilAnsweredAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, ValueTask<bool> next)
    {
        for (var i = 0; i < 9 && !next.IsCompleted; i++)
        {
            time.AdvanceInline(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
    }
}
