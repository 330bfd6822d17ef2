using System.Net;
using Reprise.Bulk;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Tests.TestSupport;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

/// <summary>The bulk engine over real sockets, against the chaos server on 127.0.0.1, with its own default handler.</summary>
public class BulkEngineChaosTests
{
    [Fact]
    public async Task RunAsync_MixedStatusesOverSockets_GivesEachUrlItsOutcomeAndAttempts()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes =
            {
                new ChaosRouteOptions { Path = "/ok", BodySize = 100 },
                new ChaosRouteOptions { Path = "/flaky", Sequence = "503,503,200" },
                new ChaosRouteOptions { Path = "/missing", Status = 404 },
                new ChaosRouteOptions { Path = "/down", Status = 500 },
                new ChaosRouteOptions { Path = "/cut", Sequence = "cut,200", BodySize = 1000 },
                new ChaosRouteOptions { Path = "/reset", Sequence = "reset,200" },
            },
        });
        using var engine = new BulkEngine(Options(o => o.Retry.MaxAttempts = 3));
        var expected = new Dictionary<string, (BulkOutcome Outcome, int Attempts)>();
        void Expect(string path, BulkOutcome outcome, int attempts) => expected[server.GetUri(path).ToString()] = (outcome, attempts);
        for (var i = 0; i < 5; i++)
        {
            Expect($"/ok/{i}", BulkOutcome.Succeeded, 1);
            Expect($"/flaky/{i}", BulkOutcome.Succeeded, 3);
            Expect($"/missing/{i}", BulkOutcome.Failed, 1);
            Expect($"/down/{i}", BulkOutcome.Failed, 3);
            Expect($"/cut/{i}", BulkOutcome.Succeeded, 2);
            Expect($"/reset/{i}", BulkOutcome.Succeeded, 2);
        }

        expected["not a url"] = (BulkOutcome.InvalidInput, 0);
        expected["ftp://127.0.0.1/file"] = (BulkOutcome.InvalidInput, 0);

        var results = await engine.RunAsync(Urls([.. expected.Keys])).CollectAsync();

        Assert.Equal(expected.Count, results.Count);
        Assert.Equal(expected.Keys.Order(), results.Select(r => r.Url).Order());
        Assert.All(results, r => Assert.Equal(expected[r.Url], (r.Outcome, r.Attempts)));
        Assert.All(results.Where(r => r.Url.Contains("/ok/", StringComparison.Ordinal)), r => Assert.Equal(100, r.Bytes));
        Assert.All(results.Where(r => r.Url.Contains("/missing/", StringComparison.Ordinal)), r => Assert.Equal("HTTP 404 Not Found", r.Error));
        Assert.All(results.Where(r => r.Url.Contains("/down/", StringComparison.Ordinal)), r => Assert.Equal(RetryStopReason.AttemptsExhausted, r.StopReason));
        Assert.All(results.Where(r => r.Url.Contains("/cut/", StringComparison.Ordinal)), r => Assert.Equal(HttpStatusCode.OK, r.History.Attempts[0].StatusCode));
        Assert.Equal(results.Sum(r => r.Attempts), server.Stats.TotalRequests);
    }

    [Fact]
    public async Task RunAsync_HostAskingToWait_DoesNotDelayAnotherHostsUrls()
    {
        // The engine and the server share a fake clock that stands still until every healthy URL is done: the healthy
        // host can only finish first if the waiting host's requests hold no worker.
        var time = NewClock();
        await using var server = await ChaosServer.StartAsync(
            new ChaosOptions
            {
                Hosts =
                {
                    new ChaosHostOptions
                    {
                        // From its first request the host answers 503 with Retry-After: 5 for five seconds.
                        Name = "paused",
                        Outage = new ChaosOutageOptions { DurationMs = 5_000, RetryAfterSeconds = 5 },
                        Routes = { new ChaosRouteOptions() },
                    },
                    new ChaosHostOptions { Name = "healthy", Routes = { new ChaosRouteOptions() } },
                },
            },
            time);
        using var engine = new BulkEngine(Options(o => (o.MaxConcurrency, o.MaxPendingRequests) = (2, 100)), timeProvider: time);
        var paused = server.Hosts["paused"];
        var healthy = server.Hosts["healthy"];
        var urls = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            urls.Add(paused.GetUri($"/item/{i}").ToString());
            urls.Add(healthy.GetUri($"/item/{i}").ToString());
        }

        await using var results = engine.RunAsync(Urls([.. urls])).GetAsyncEnumerator();
        var first = new List<BulkResult>();
        for (var i = 0; i < 20; i++)
        {
            first.Add(await results.NextAsync());
        }

        Assert.All(first, r => Assert.StartsWith(healthy.BaseAddress.ToString(), r.Url, StringComparison.Ordinal));
        Assert.All(first, r => Assert.Equal((BulkOutcome.Succeeded, 1), (r.Outcome, r.Attempts)));
        Assert.Equal(NewClock().GetUtcNow(), time.GetUtcNow());

        var rest = new List<BulkResult>();
        for (var i = 0; i < 20; i++)
        {
            var next = results.MoveNextAsync().AsTask();
            for (var step = 0; !next.IsCompleted; step++)
            {
                // Moving the fake clock on while the sockets work is harmless: only the order of results is asserted.
                Assert.True(step < 100_000, "The waiting host's requests never completed.");
                time.AdvanceInline(TimeSpan.FromMilliseconds(100));
                await Task.WhenAny(next, Task.Delay(1));
            }

            Assert.True(await next);
            rest.Add(results.Current);
        }

        Assert.False(await results.MoveNextAsync());
        Assert.All(rest, r => Assert.StartsWith(paused.BaseAddress.ToString(), r.Url, StringComparison.Ordinal));
        Assert.All(rest, r => Assert.Equal(BulkOutcome.Succeeded, r.Outcome));

        // Each URL's first 503 with Retry-After is its own until URLs are throttled again after their own wait (issue 12):
        // here the host is well when they come back, so each waiting URL costs at most its first call and its retry.
        Assert.All(rest, r => Assert.InRange(r.Attempts, 1, 2));
        Assert.InRange(paused.Stats.TotalRequests, 20, 40);
        Assert.Equal(20, healthy.Stats.TotalRequests);
    }

    [Fact]
    public async Task RunAsync_RetryHeldBackByTheBudgetAtTheHeadOfTheLine_FreshRequestsBehindItGoOn()
    {
        // One slot for the host, and a retry budget that holds back the retry's draw (random 0): the retry leads the
        // host's line when it is held back. The clock stands still, so the fresh requests behind it can only finish if
        // the held-back retry passes the line on instead of holding it until it may ask again.
        var time = NewClock();
        await using var server = await ChaosServer.StartAsync(
            new ChaosHostOptions { Routes = { new ChaosRouteOptions { Path = "/retry", Sequence = "503,200" }, new ChaosRouteOptions { Path = "/fresh" } } },
            time);
        var hosts = new HostRegistry(
            new HostCoordinationOptions
            {
                MaxConcurrency = 1,
                AdaptiveConcurrencyEnabled = false,
                AdaptiveRateEnabled = false,
                CircuitBreakerEnabled = false,
                RetryThrottlingFreeRequests = 0,
            },
            time,
            static () => 0);
        using var engine = new BulkEngine(Options(o => o.Retry.MaxAttempts = 2), hosts);
        List<string> urls = [server.GetUri("/retry/0").ToString(), .. Enumerable.Range(0, 10).Select(i => server.GetUri($"/fresh/{i}").ToString())];

        await using var results = engine.RunAsync(Urls([.. urls])).GetAsyncEnumerator();
        var fresh = new List<BulkResult>();
        BulkResult? retried = null;
        while (fresh.Count < 10)
        {
            // On a loaded machine a fresh request may be accepted before the retry asks, and the budget then lets the
            // retry go at once: it may come among the fresh results. Held back, it must not hold them up.
            var result = await results.NextAsync();
            if (result.Url == urls[0])
            {
                retried = result;
            }
            else
            {
                fresh.Add(result);
            }
        }

        Assert.All(fresh, r => Assert.Equal((BulkOutcome.Succeeded, 1), (r.Outcome, r.Attempts)));
        Assert.All(fresh, r => Assert.Contains("/fresh/", r.Url, StringComparison.Ordinal));
        Assert.Equal(NewClock().GetUtcNow(), time.GetUtcNow());

        // Once the clock moves the retry asks again, and the budget, with the fresh requests accepted, lets it go.
        if (retried is null)
        {
            var last = results.MoveNextAsync().AsTask();
            for (var step = 0; !last.IsCompleted; step++)
            {
                Assert.True(step < 100_000, "The held-back retry never went.");
                time.AdvanceInline(TimeSpan.FromMilliseconds(100));
                await Task.WhenAny(last, Task.Delay(1));
            }

            Assert.True(await last);
            retried = results.Current;
        }

        Assert.Equal((urls[0], BulkOutcome.Succeeded, 2), (retried.Url, retried.Outcome, retried.Attempts));
        Assert.False(await results.MoveNextAsync());
    }

    [Fact]
    public async Task RunAsync_CancelledWithAttemptsHangingOnTheServer_YieldsCancelledForEach()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { Path = "/hang", Hang = true } } });
        using var engine = new BulkEngine(Options(o => (o.MaxConcurrency, o.MaxPendingRequests) = (3, 10)));
        using var cancellation = new CancellationTokenSource();
        var urls = Enumerable.Range(0, 5).Select(i => server.GetUri($"/hang/{i}").ToString()).ToArray();

        var run = engine.RunAsync(Urls(urls), cancellation.Token).CollectAsync();
        await WaitUntilAsync(() => server.Stats.InFlight == 3);
        await cancellation.CancelAsync();
        var results = await run;

        Assert.Equal(urls.Order(), results.Select(r => r.Url).Order());
        Assert.All(results, r => Assert.Equal(BulkOutcome.Cancelled, r.Outcome));
        Assert.Equal(3, results.Count(r => r.Attempts == 1));
    }

    [Fact]
    public async Task RunAsync_DiscardedBodyThatStalls_IsDrainedWithinTheDrainTimeout()
    {
        // The server declares a small body and trickles it at one byte a second on the real clock; the engine's clock is
        // fake. The retried 503's body must be given up after the drain timeout on the engine's clock, not read for hours
        // while it holds the only worker and a slot of the host.
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/stall", Status = 503, BodySize = 10_000, TrickleBytesPerSecond = 1 } },
        });
        var time = NewClock();
        using var engine = new BulkEngine(Options(o => (o.MaxConcurrency, o.Retry.MaxAttempts, o.BodyHandling, o.MaxBodyInMemory) = (1, 2, BulkBodyHandling.Memory, 100)), timeProvider: time);

        using var cancellation = new CancellationTokenSource();
        var run = engine.RunAsync(Urls(server.GetUri("/stall/0").ToString()), cancellation.Token).CollectAsync();
        var held = false;
        for (var step = 0; !run.IsCompleted; step++)
        {
            // 60 s of the engine's clock: far past the drain timeout, short of the deadline that would also end a drain.
            if (step == 600)
            {
                held = true;
                await cancellation.CancelAsync();
                break;
            }

            time.AdvanceInline(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(run, Task.Delay(1));
        }

        var result = Assert.Single(await run);
        Assert.False(held, "The discarded body held the worker past the drain timeout.");
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, server.Stats.TotalRequests);
    }
}
