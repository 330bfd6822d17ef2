using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Reprise.Chaos.Configuration;
using Reprise.Chaos.Tests.Faults;

namespace Reprise.Chaos.Tests.Stats;

public sealed class StatsTests
{
    [Fact]
    public async Task Stats_Requests_CountedPerRouteAndStatus()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/ok" }, new ChaosRouteOptions { Path = "/flaky", Sequence = "503,200" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await SequenceTests.GetStatusesAsync(client, "/ok", "/flaky/1", "/flaky/1", "/flaky/2", "/nowhere");

        var stats = server.Stats;
        Assert.Equal(5, stats.TotalRequests);
        Assert.Equal(new Dictionary<int, long> { [200] = 2, [503] = 2, [404] = 1 }, stats.Statuses);
        Assert.Equal(1, stats.Routes["/ok"].Requests);
        Assert.Equal(3, stats.Routes["/flaky"].Requests);
        Assert.Equal(new Dictionary<int, long> { [200] = 1, [503] = 2 }, stats.Routes["/flaky"].Statuses);
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(1, stats.MaxInFlight);
    }

    [Fact]
    public async Task Stats_ThreeHungAtOnce_MaxInFlightThree()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { Hang = true } } });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var cancel = new CancellationTokenSource();

        var pending = Enumerable.Range(0, 3).Select(i => client.GetAsync($"/k/{i}", cancel.Token)).ToArray();
        await Poll.UntilAsync(() => server.Stats.InFlight == 3, "three requests hang");
        await cancel.CancelAsync();
        foreach (var request in pending)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        }

        await Poll.UntilAsync(() => server.Stats.InFlight == 0, "the hung requests end");
        Assert.Equal(3, server.Stats.MaxInFlight);
    }

    [Fact]
    public async Task Stats_ArrivalsOverSeconds_MaxInFlightBySecondCountsThoseStillServed()
    {
        var time = new FakeTimeProvider();
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { LatencyMs = 300 } } }, time);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        // Second 0: three at once. Second 1: one alone. Second 2: one, still served when another arrives in second 3.
        await ServeAsync(time, server, 0, [.. Enumerable.Range(0, 3).Select(i => client.GetAsync($"/a/{i}"))]);
        time.Advance(TimeSpan.FromMilliseconds(1200)); // 1.5 s
        await ServeAsync(time, server, 0, client.GetAsync("/b"));
        time.Advance(TimeSpan.FromMilliseconds(1100)); // 2.9 s
        var late = client.GetAsync("/c");
        await Poll.UntilAsync(() => server.Stats.InFlight == 1, "the request of second 2 is served");
        time.Advance(TimeSpan.FromMilliseconds(100)); // 3.0 s
        await ServeAsync(time, server, 1, late, client.GetAsync("/d"));

        Assert.Equal([3, 1, 1, 2], server.Stats.MaxInFlightBySecond);
        Assert.Equal(3, server.Stats.MaxInFlight);
        server.ResetStats();
        Assert.Empty(server.Stats.MaxInFlightBySecond);
    }

    /// <summary>Waits until the requests are all being served (<paramref name="before"/> were already), then lets their latency pass.</summary>
    private static async Task ServeAsync(FakeTimeProvider time, ChaosServer server, int before, params Task<HttpResponseMessage>[] requests)
    {
        await Poll.UntilAsync(() => server.Stats.InFlight == requests.Length, $"{requests.Length - before} more requests are served");
        time.Advance(TimeSpan.FromMilliseconds(300));
        foreach (var request in requests)
        {
            using var response = await request;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Stats_OneClientReusingItsConnection_OneConnectionOpened()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions() } });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await SequenceTests.GetStatusesAsync(client, "/a", "/b", "/c", "/d", "/e");

        Assert.Equal(1, server.Stats.ConnectionsOpened);
    }

    [Fact]
    public async Task Stats_ConnectionCloseOnEveryRequest_OneConnectionPerRequest()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions() } });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.ConnectionClose = true;

        await SequenceTests.GetStatusesAsync(client, "/a", "/b", "/c");

        Assert.Equal(3, server.Stats.ConnectionsOpened);
    }

    [Fact]
    public async Task ResetStats_AfterRequests_ZeroesCountersButKeysKeepTheirCalls()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Sequence = "503,200" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        await SequenceTests.GetStatusesAsync(client, "/k");

        server.ResetStats();
        var statuses = await SequenceTests.GetStatusesAsync(client, "/k");

        Assert.Equal([200], statuses);
        Assert.Equal(1, server.Stats.TotalRequests);
        Assert.Equal(new Dictionary<int, long> { [200] = 1 }, server.Stats.Statuses);
        Assert.Equal(1, server.Stats.Routes["/"].Requests);
    }

    [Fact]
    public async Task Reset_AfterRequests_KeysStartOver()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Sequence = "503,200" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        await SequenceTests.GetStatusesAsync(client, "/k");

        server.Reset();
        var statuses = await SequenceTests.GetStatusesAsync(client, "/k");

        Assert.Equal([503], statuses);
        Assert.Equal(1, server.Stats.TotalRequests);
    }

    [Fact]
    public async Task StatsEndpoint_Get_ServesTheCountersAsCamelCaseJsonAndIsNotCounted()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/flaky", Sequence = "503,200" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        await SequenceTests.GetStatusesAsync(client, "/flaky/1", "/flaky/1");

        using var json = await client.GetFromJsonAsync<JsonDocument>("/_chaos/stats");

        var root = json!.RootElement;
        Assert.Equal(2, root.GetProperty("totalRequests").GetInt64());
        Assert.Equal(1, root.GetProperty("connectionsOpened").GetInt64());
        Assert.Equal(0, root.GetProperty("earlyRequests").GetInt64());
        Assert.Equal(1, root.GetProperty("statuses").GetProperty("503").GetInt64());
        var route = root.GetProperty("routes").GetProperty("/flaky");
        Assert.Equal(2, route.GetProperty("requests").GetInt64());
        Assert.Equal(1, route.GetProperty("statuses").GetProperty("200").GetInt64());
        Assert.Equal(2, server.Stats.TotalRequests);
    }

    [Theory]
    [InlineData("/_chaos/reset", 200)]
    [InlineData("/_chaos/reset?state=true", 503)]
    public async Task ResetEndpoint_Post_ZeroesCountersAndOptionallyTheState(string resetPath, int secondStatusAfter)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Sequence = "503,503,200" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        await SequenceTests.GetStatusesAsync(client, "/k");

        using var reset = await client.PostAsync(resetPath, content: null);
        var after = await SequenceTests.GetStatusesAsync(client, "/k", "/k");

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal([503, secondStatusAfter], after);
        Assert.Equal(2, server.Stats.TotalRequests);
    }

    [Theory]
    [InlineData("POST", "/_chaos/stats", 405)]
    [InlineData("GET", "/_chaos/reset", 405)]
    [InlineData("GET", "/_chaos/other", 404)]
    public async Task ControlEndpoints_WrongMethodOrPath_Refused(string method, string path, int status)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions() } });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(0, server.Stats.TotalRequests);
    }
}
