using System.Net;
using Reprise.Backoff;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests;

public class RepriseHandlerCancellationTests
{
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
}
