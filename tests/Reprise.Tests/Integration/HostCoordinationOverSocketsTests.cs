using System.Net;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Hosts;
using Reprise.Retry;
using Xunit.Abstractions;

namespace Reprise.Tests.Integration;

/// <summary>Requests that share a host registry, against the chaos server over real sockets.</summary>
public class HostCoordinationOverSocketsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SendAsync_HostAnswers429WithRetryAfterBeyondOneWait_PausesTheWholeHostThenAllSucceed()
    {
        // 429 with Retry-After: 1 to everything for 3 s. One URL's 429 is its own until the host shows otherwise
        // (issue 12): here URLs retried after their own second are throttled again, so the host is paused.
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Outage = new ChaosOutageOptions { DurationMs = 3_000, Status = 429, RetryAfterSeconds = 1 },
            Routes = { new ChaosRouteOptions { Path = "/items" } },
        });
        var hosts = new HostRegistry();
        using var client = Client(hosts, new RepriseOptions { MaxAttempts = 10 });
        var paused = false;

        var all = Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.GetAsync(server.GetUri($"/items/{i}"))));
        while (!all.IsCompleted)
        {
            paused |= hosts.GetSnapshot(server.BaseAddress)?.PausedUntil is not null;
            await Task.WhenAny(all, Task.Delay(10));
        }

        var responses = await all;
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(paused, "the host was never paused");

        // Each URL's first call, its retry after its own second (which shows the trouble is the host's), a few
        // witnesses and probes, and each URL's last: about 250 on a quiet machine, up to about 300 on a loaded one,
        // where the retries of the first second spread out. Per-request retries send each URL once a second for the
        // 3 s and once after: 400.
        var stats = server.Stats;
        Assert.True(stats.TotalRequests < 340, $"{stats.TotalRequests} requests");
    }

    [Fact]
    public async Task SendAsync_OutageWithoutRetryAfter_OnlyProbesReachTheHostAndAllSucceed()
    {
        const int Urls = 200;
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Outage = new ChaosOutageOptions { DurationMs = 3_000 },
            Routes = { new ChaosRouteOptions { Path = "/items" } },
        });
        var hosts = new HostRegistry();
        using var client = Client(hosts, new RepriseOptions { Deadline = TimeSpan.FromSeconds(60) });

        var responses = await Task.WhenAll(Enumerable.Range(0, Urls).Select(i => client.GetAsync(server.GetUri($"/items/{i}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var stats = server.Stats;
        Assert.Equal(Urls, stats.CountOf(200));

        // Per-request retry would send up to four requests per URL. Here the first wave fails (at most one request
        // per URL), then only probes reach the host until it recovers, then each URL succeeds once.
        Assert.True(stats.CountOf(503) <= Urls + 10, $"{stats.CountOf(503)} failures for {Urls} URLs");
        Assert.True(stats.TotalRequests <= (2 * Urls) + 10, $"{stats.TotalRequests} requests for {Urls} URLs");
    }

    [Fact]
    public async Task SendAsync_HostFailingEverything_RetriesStayABoundedFractionOfFirstAttempts()
    {
        const int Urls = 200;
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/items", Status = 503 } },
        });
        var hosts = new HostRegistry();
        using var client = Client(hosts, new RepriseOptions { BaseDelay = TimeSpan.FromMilliseconds(50), Deadline = TimeSpan.FromSeconds(4) });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Urls).Select(async i =>
        {
            try
            {
                using var response = await client.GetAsync(server.GetUri($"/items/{i}"));
                return response.StatusCode;
            }
            catch (TaskCanceledException)
            {
                return HttpStatusCode.RequestTimeout; // deadline passed while waiting for the host
            }
            catch (RepriseRequestException ex) when (ex.StopReason == RetryStopReason.DeadlineExceeded)
            {
                return HttpStatusCode.RequestTimeout; // the host's next probe lay past the deadline: not waited for
            }
        }));

        Assert.DoesNotContain(HttpStatusCode.OK, outcomes);
        // Four attempts each would be 800 requests; throttling and the breaker hold retries to a small fraction.
        Assert.True(server.Stats.TotalRequests <= Urls * 1.1 + 10, $"{server.Stats.TotalRequests} requests for {Urls} URLs");
    }

    [Fact]
    public async Task SendAsync_HostFailing40PercentAtRandom_EveryRetryGoesThrough()
    {
        const int Urls = 300;
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/items", FailureProbability = 0.4, Seed = 2026 } },
        });
        var hosts = new HostRegistry();
        using var client = Client(hosts, new RepriseOptions { MaxAttempts = 10, BaseDelay = TimeSpan.FromMilliseconds(20) });

        var responses = await Task.WhenAll(Enumerable.Range(0, Urls).Select(i => client.GetAsync(server.GetUri($"/items/{i}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var attempts = responses.Sum(r => r.GetRetryHistory()!.Attempts.Count);
        Assert.Equal(server.Stats.TotalRequests, attempts); // every retry reached the server: none held back or lost
        Assert.True(attempts > Urls * 1.3, "the seed should make a good share of requests fail at least once");
        var snapshot = hosts.GetSnapshot(server.BaseAddress)!;
        Assert.Equal(0, snapshot.RetryRejectProbability); // a 60% accept ratio never throttles retries
        Assert.Equal(HostCircuitState.Closed, snapshot.CircuitState);
    }

    [Fact]
    public async Task SendAsync_HostRateLimited_KeepsTooManyRequestsUnderAFifthOnceAdapted()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = 200, Burst = 200 },
            Routes = { new ChaosRouteOptions { Path = "/items" } },
        });
        var hosts = new HostRegistry();
        using var client = Client(hosts, new RepriseOptions { Deadline = TimeSpan.FromSeconds(60) });

        // The first seconds: the first wave overruns the bucket and the host learns its rate.
        await FetchAllAsync(client, server, 0, 400);
        server.ResetStats();
        const int Urls = 800;
        await FetchAllAsync(client, server, 400, Urls);

        var stats = server.Stats;
        output.WriteLine($"{stats.CountOf(429)} answers of 429 in {stats.TotalRequests} requests");
        Assert.Equal(Urls, stats.CountOf(200));
        // Measured: 3-4% of requests on a loaded machine, once 10.7% with the machine starved (load 20 on 2 cores); the same
        // run with coordination off (HostCoordinationOptions.Disabled) draws 72-73%. A fifth tells them apart with room for a starved machine.
        Assert.True(stats.CountOf(429) < stats.TotalRequests / 5, $"{stats.CountOf(429)} answers of 429 in {stats.TotalRequests} requests");
        Assert.Equal(0, stats.EarlyRequests);
    }

    private static async Task FetchAllAsync(HttpClient client, ChaosServer server, int first, int count)
    {
        var responses = await Task.WhenAll(Enumerable.Range(first, count).Select(i => client.GetAsync(server.GetUri($"/items/{i}"))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    private static HttpClient Client(HostRegistry hosts, RepriseOptions options)
        => new(new RepriseHandler(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }, options, hosts)) { Timeout = Timeout.InfiniteTimeSpan };

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 1_000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the condition never held");
    }
}
