using System.Net;
using Reprise.Backoff;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests;

public class RepriseHandlerTimeoutTests
{
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
}
