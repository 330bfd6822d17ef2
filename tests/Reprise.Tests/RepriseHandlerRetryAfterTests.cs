using System.Net;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests;

public class RepriseHandlerRetryAfterTests
{
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
}
