using System.Net;
using System.Net.Http.Headers;
using Reprise.Bulk;
using Reprise.Hosts;
using Reprise.Retry;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

public class BulkEngineCancellationTests
{
    [Fact]
    public async Task RunAsync_Cancelled_YieldsACancelledResultForEveryInputRead()
    {
        // Two attempts hang in flight, one request waits 30 s for its retry, the rest wait for a worker.
        var time = NewClock();
        var handler = new BulkTestHandler(time, (url, _, _, token) =>
        {
            if (url.EndsWith("/later", StringComparison.Ordinal))
            {
                var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(30));
                return Task.FromResult(response);
            }

            return BulkTestHandler.Hang(token);
        });
        using var engine = Engine(handler, time, o => (o.MaxConcurrency, o.MaxPendingRequests) = (2, 10));
        var read = 0;
        async IAsyncEnumerable<BulkRequest> Input()
        {
            yield return new BulkRequest("http://a.test/later");
            for (var i = 0; i < 1_000; i++)
            {
                await Task.CompletedTask;
                Interlocked.Increment(ref read);
                yield return new BulkRequest($"http://a.test/{i}");
            }
        }

        using var cancellation = new CancellationTokenSource();
        var run = engine.RunAsync(Input(), cancellation.Token).CollectAsync();
        await WaitUntilAsync(() => engine.GetProgress() is { InFlight: 2, WaitingForRetry: 1, Read: 10 });
        await cancellation.CancelAsync();
        var results = await run;

        Assert.Equal(read + 1, results.Count);
        Assert.Equal(results.Count, results.Select(r => r.Url).Distinct().Count());
        Assert.All(results, r => Assert.Equal(BulkOutcome.Cancelled, r.Outcome));
        Assert.All(results, r => Assert.Equal(RetryStopReason.Cancelled, r.StopReason));
        var later = results.Single(r => r.Url.EndsWith("/later", StringComparison.Ordinal));
        Assert.Equal(1, later.Attempts);
        Assert.Equal(2, results.Count(r => r.Attempts == 1 && r != later));
        var progress = engine.GetProgress();
        Assert.Equal((0, 0, 0), (progress.InFlight, progress.WaitingForRetry, progress.Retrying));
    }

    [Fact]
    public async Task RunAsync_CallerStopsEarly_CancelsTheRestAndWindsDown()
    {
        var time = NewClock();
        var handler = new BulkTestHandler(time, (url, _, _, token) => url.EndsWith("/0", StringComparison.Ordinal) ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)) : BulkTestHandler.Hang(token));
        using var engine = Engine(handler, time);

        await foreach (var result in engine.RunAsync(Urls([.. Enumerable.Range(0, 100).Select(i => $"http://a.test/{i}")])))
        {
            Assert.Equal("http://a.test/0", result.Url);
            break;
        }

        var progress = engine.GetProgress();
        Assert.Equal(progress.Read, progress.Done);
        Assert.Equal(0, progress.InFlight);
        Assert.Equal(progress.Read - 1, progress.Cancelled);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileRequestsQueueForABusyHost_YieldsCancelledForEach()
    {
        var time = NewClock();
        var handler = new BulkTestHandler(time, (_, _, _, token) => BulkTestHandler.Hang(token));
        var registry = new HostRegistry(new HostCoordinationOptions { MaxConcurrency = 2, AdaptiveConcurrencyEnabled = false }, time);
        using var engine = new BulkEngine(handler, Options(o => (o.MaxConcurrency, o.MaxPendingRequests) = (8, 64)), registry, time);
        using var cancellation = new CancellationTokenSource();

        var run = engine.RunAsync(Urls([.. Enumerable.Range(0, 30).Select(i => $"http://busy.test/{i}")]), cancellation.Token).CollectAsync();
        await WaitUntilAsync(() => engine.GetProgress() is { InFlight: 2, WaitingForHost: 28 });
        await cancellation.CancelAsync();
        var results = await run;

        Assert.Equal(30, results.Count);
        Assert.All(results, r => Assert.Equal(BulkOutcome.Cancelled, r.Outcome));
        Assert.Equal(0, engine.GetProgress().WaitingForHost);
    }
}
