using System.Net;
using Reprise.Chaos.Configuration;
using Reprise.Chaos.Faults;
using Reprise.Chaos.Stats;

namespace Reprise.Chaos.Tests.Faults;

public sealed class LatencyTests
{
    [Fact]
    public async Task Latency_Fixed_AnswersOnlyOnceTheDelayHasElapsed()
    {
        var time = new ObservedTimeProvider();
        await using var server = await ChaosServer.StartAsync(
            new ChaosHostOptions { Routes = { new ChaosRouteOptions { LatencyMs = 1000 } } },
            time);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var pending = client.GetAsync("/slow");
        await Poll.UntilAsync(() => time.TimersCreated == 1, "the server starts the delay");
        time.Fake.Advance(TimeSpan.FromMilliseconds(999));
        var stillDelayed = server.Stats.InFlight == 1 && !pending.IsCompleted;
        time.Fake.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await pending;

        Assert.True(stillDelayed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Latency_TinyRealDelay_SlowRouteFinishesAfterFastRouteStartedLater()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/slow", LatencyMs = 60_000 }, new ChaosRouteOptions { Path = "/fast" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var cancel = new CancellationTokenSource();

        var slow = client.GetAsync("/slow", cancel.Token);
        await Poll.UntilAsync(() => server.Stats.InFlight == 1, "the slow request is being delayed");
        using var fast = await client.GetAsync("/fast");
        var slowWasPending = !slow.IsCompleted;
        await cancel.CancelAsync();

        Assert.True(slowWasPending);
        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    [Fact]
    public void Decide_LatencyRange_SeededDelaysWithinBoundsAndRepeatable()
    {
        var options = new ChaosRouteOptions { LatencyMs = 10, LatencyMaxMs = 50, Seed = 1 };
        var route = new RouteEngine(options, new RouteCounters(), new HostCounters(["/"]), TimeProvider.System);

        var delays = Enumerable.Range(1, 200).Select(n => route.Decide("/k", n).Latency).ToArray();
        var again = Enumerable.Range(1, 200).Select(n => route.Decide("/k", n).Latency).ToArray();

        Assert.Equal(delays, again);
        Assert.All(delays, static d => Assert.InRange(d.TotalMilliseconds, 10, 50));
        Assert.Contains(TimeSpan.FromMilliseconds(10), delays);
        Assert.Contains(TimeSpan.FromMilliseconds(50), delays);
    }
}
