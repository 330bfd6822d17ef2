using System.Net;
using System.Net.Http.Headers;
using Reprise.Bulk;
using Reprise.Hosts;
using Reprise.Hosts.Evidence;
using Reprise.Retry;
using Reprise.Tests.TestSupport;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

public class BulkEngineHostTests
{
    [Fact]
    public void Constructor_SharedRegistry_IsTheOneExposedForSnapshots()
    {
        var time = NewClock();
        var registry = new Reprise.Hosts.HostRegistry(time);

        using var engine = new BulkEngine(BulkTestHandler.Scripted(time), Options(), registry);

        Assert.Same(registry, engine.Hosts);
    }

    [Fact]
    public async Task RunAsync_UrlsFailingEveryAttempt_CountOnceEachForTheBreaker()
    {
        // 8 URLs that fail each of their 4 attempts: 32 failures in a row, 8 failing URLs. The breaker counts failing URLs
        // (threshold 20), so it stays closed and every URL makes its 4 attempts.
        var time = NewClock();
        string[] urls = [.. Enumerable.Range(0, 8).Select(static i => $"http://down.test/{i}")];
        var handler = new BulkTestHandler(time, static (_, _, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)));
        var registry = new HostRegistry(new HostCoordinationOptions { AdaptiveConcurrencyEnabled = false, AdaptiveRateEnabled = false, RetryThrottlingEnabled = false }, time);
        using var engine = new BulkEngine(handler, Options(o => o.Retry.MaxAttempts = 4), registry, time);

        var results = await engine.RunAsync(Urls(urls)).CollectAsync();

        Assert.All(results, static r => Assert.Equal((RetryStopReason.AttemptsExhausted, 4), (r.StopReason, r.History.Attempts.Count)));
        Assert.Equal(HostCircuitState.Closed, registry.GetSnapshot(new Uri("http://down.test/"))!.CircuitState);
    }

    [Fact]
    public async Task RunAsync_HostPausedByRetryAfter_ParksItsRequestsWithoutSendingAndOthersGoOn()
    {
        // Host coordination on: the first answer of paused.test pauses that host for 10 s. Its other requests wait
        // without an attempt and without a worker, while healthy.test's complete on a clock that stands still.
        var time = NewClock();
        var handler = new BulkTestHandler(time, (url, attempt, _, _) =>
        {
            var response = new HttpResponseMessage(url.Contains("paused.test", StringComparison.Ordinal) && time.GetUtcNow() == NewClock().GetUtcNow() ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(10));
            }

            return Task.FromResult(response);
        });
        using var engine = new BulkEngine(handler, Options(o => o.MaxConcurrency = 1), timeProvider: time);
        string[] paused = ["http://paused.test/1", "http://paused.test/2", "http://paused.test/3"];
        string[] healthy = ["http://healthy.test/1", "http://healthy.test/2", "http://healthy.test/3"];

        await using var results = engine.RunAsync(Urls([.. paused.Zip(healthy, (p, h) => new[] { p, h }).SelectMany(pair => pair)])).GetAsyncEnumerator();
        var first = new[] { await results.NextAsync(), await results.NextAsync(), await results.NextAsync() };

        Assert.Equal(healthy, first.Select(r => r.Url).Order());
        Assert.Single(handler.Log, s => s.Url.Contains("paused.test", StringComparison.Ordinal));
        // One URL's Retry-After is its own (issue 12), but it holds the host for the check that tells (50 ms): the others
        // wait for it without an attempt, while the clock stands still.
        await WaitUntilAsync(() => engine.GetProgress() is { WaitingForRetry: 1, WaitingForHost: 2 });
        Assert.False(engine.Hosts.GetState(new Uri("http://paused.test/")).TryAcquire(isRetry: false).IsAcquired);

        var rest = new List<BulkResult>();
        for (var i = 0; i < 3; i++)
        {
            var next = results.MoveNextAsync().AsTask();
            for (var step = 0; !next.IsCompleted; step++)
            {
                Assert.True(step < 10_000, "The paused host's requests never completed.");
                time.AdvanceInline(TimeSpan.FromMilliseconds(100));
                await Task.WhenAny(next, Task.Delay(1));
            }

            Assert.True(await next);
            rest.Add(results.Current);
        }

        Assert.Equal(paused, rest.Select(r => r.Url).Order());
        Assert.All(rest, r => Assert.Equal(BulkOutcome.Succeeded, r.Outcome));
        Assert.Equal([1, 1, 2], rest.Select(r => r.Attempts).Order());

        // The URL that got the Retry-After waited all of it; the others were sent after the check's hold, as witnesses.
        var retried = Assert.Single(handler.Log, s => s.Url.Contains("paused.test", StringComparison.Ordinal) && s.Attempt == 2);
        Assert.True(retried.At >= NewClock().GetUtcNow().AddSeconds(10));
        Assert.All(handler.Log.Where(s => s.Url.Contains("paused.test", StringComparison.Ordinal) && s.At > NewClock().GetUtcNow()), s => Assert.True(s.At >= NewClock().GetUtcNow() + EvidenceDefaults.CheckHold));
    }

    [Fact]
    public async Task RunAsync_HostAtItsConcurrencyLimit_HandsEachFreedSlotToTheLineWithoutPolling()
    {
        // The host allows two requests in flight and holds them; 48 more wait. Nobody asks the host again while its
        // slots are taken, however far the clock moves; a slot that frees goes to the next in line at once, with the
        // clock standing still.
        var time = NewClock();
        var held = new System.Collections.Concurrent.ConcurrentQueue<TaskCompletionSource<HttpResponseMessage>>();
        var release = false;
        var handler = new BulkTestHandler(time, (_, _, _, _) =>
        {
            if (Volatile.Read(ref release))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
            }

            var pending = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            held.Enqueue(pending);
            return pending.Task;
        });
        var registry = new HostRegistry(new HostCoordinationOptions { MaxConcurrency = 2, AdaptiveConcurrencyEnabled = false }, time);
        using var engine = new BulkEngine(handler, Options(o => (o.MaxConcurrency, o.MaxPendingRequests) = (8, 64)), registry, time);

        var run = engine.RunAsync(Urls([.. Enumerable.Range(0, 50).Select(i => $"http://busy.test/{i}")])).CollectAsync();
        await WaitUntilAsync(() => engine.GetProgress() is { InFlight: 2, WaitingForHost: 48 });
        var before = engine.Counters.HostRefusals;
        for (var i = 0; i < 20; i++)
        {
            time.AdvanceInline(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(before, engine.Counters.HostRefusals);
        Assert.Equal(0, engine.Counters.Parked);
        Assert.Equal(2, handler.Log.Count);

        Assert.True(held.TryDequeue(out var first));
        first.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        // The handler logs a request before it holds it: wait for the third to be held too, or the drain below could miss it.
        await WaitUntilAsync(() => handler.Log.Count == 3 && held.Count == 2 && engine.GetProgress() is { InFlight: 2, WaitingForHost: 47 });

        Volatile.Write(ref release, true);
        while (held.TryDequeue(out var pending))
        {
            pending.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        }

        var results = await run;
        Assert.Equal(50, results.Count);
        Assert.All(results, r => Assert.Equal((BulkOutcome.Succeeded, 1), (r.Outcome, r.Attempts)));
        Assert.Equal(0, engine.GetProgress().WaitingForHost);
        Assert.Equal(0, engine.Counters.Parked);
    }

    [Fact]
    public async Task RunAsync_PausedHostWithParkedRequestsOverTheHostCap_KeepsItsState()
    {
        // One host asks to wait 30 s and its other requests park for it; a hundred other hosts then pass through a
        // registry capped at ten. The paused host is the least recently used, but its parked requests make it busy: its
        // pause must survive the sweep, or they would all go out at once to a host that asked to wait.
        var time = NewClock();
        var handler = new BulkTestHandler(time, (url, attempt, _, _) =>
        {
            var response = new HttpResponseMessage(url.StartsWith("http://paused.test/", StringComparison.Ordinal) && attempt == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(30));
            }

            return Task.FromResult(response);
        });
        var registry = new HostRegistry(new HostCoordinationOptions { MaxHosts = 10 }, time);
        using var engine = new BulkEngine(handler, Options(o => (o.MaxConcurrency, o.MaxPendingRequests) = (1, 200)), registry, time);
        var urls = Enumerable.Range(0, 5).Select(i => $"http://paused.test/{i}").Concat(Enumerable.Range(0, 100).Select(i => $"http://h{i}.test/"));

        await using var results = engine.RunAsync(Urls([.. urls])).GetAsyncEnumerator();
        for (var i = 0; i < 100; i++)
        {
            Assert.StartsWith("http://h", (await results.NextAsync()).Url, StringComparison.Ordinal);
        }

        // The host's state survived the sweep: its parked requests still wait for its check, none was sent.
        Assert.NotNull(registry.GetSnapshot(new Uri("http://paused.test/")));
        Assert.Single(handler.Log, s => s.Url.StartsWith("http://paused.test/", StringComparison.Ordinal));
        Assert.False(registry.GetState(new Uri("http://paused.test/")).TryAcquire(isRetry: false).IsAcquired);
    }
}
