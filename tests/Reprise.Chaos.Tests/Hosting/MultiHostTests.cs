using System.Net;
using Reprise.Chaos.Configuration;
using Reprise.Chaos.Tests.Faults;

namespace Reprise.Chaos.Tests.Hosting;

public sealed class MultiHostTests
{
    [Fact]
    public async Task StartAsync_TwoHosts_EachHasItsOwnPortRoutesAndStats()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosOptions
        {
            Hosts =
            {
                new ChaosHostOptions { Name = "healthy", Routes = { new ChaosRouteOptions() } },
                new ChaosHostOptions { Name = "flaky", Routes = { new ChaosRouteOptions { Path = "/api", Status = 503 } } },
            },
        });
        var healthy = server.Hosts["healthy"];
        var flaky = server.Hosts["flaky"];
        using var client = new HttpClient();

        using var fromHealthy = await client.GetAsync(healthy.GetUri("/api/1"));
        using var fromFlaky = await client.GetAsync(flaky.GetUri("/api/1"));
        using var flakyUnrouted = await client.GetAsync(flaky.GetUri("/other"));

        Assert.NotEqual(healthy.Port, flaky.Port);
        Assert.Same(healthy, server.DefaultHost);
        Assert.Equal(server.BaseAddress, healthy.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, fromHealthy.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fromFlaky.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, flakyUnrouted.StatusCode);
        Assert.Equal(1, healthy.Stats.TotalRequests);
        Assert.Equal(2, flaky.Stats.TotalRequests);
        Assert.Equal(1, healthy.Stats.ConnectionsOpened);
        Assert.Equal(1, flaky.Stats.ConnectionsOpened);
    }

    [Fact]
    public async Task ResetStats_OnOneHost_OtherHostKeepsItsCounters()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosOptions
        {
            Hosts =
            {
                new ChaosHostOptions { Name = "a", Routes = { new ChaosRouteOptions() } },
                new ChaosHostOptions { Name = "b", Routes = { new ChaosRouteOptions() } },
            },
        });
        using var client = new HttpClient();
        (await client.GetAsync(server.Hosts["a"].GetUri("/x"))).Dispose();
        (await client.GetAsync(server.Hosts["b"].GetUri("/x"))).Dispose();

        server.Hosts["a"].ResetStats();

        Assert.Equal(0, server.Hosts["a"].Stats.TotalRequests);
        Assert.Equal(1, server.Hosts["b"].Stats.TotalRequests);
    }

    [Fact]
    public async Task StartAsync_ManyServersInParallel_EachOnItsOwnPortServingItsOwnRoutes()
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, 8).Select(static i => ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Status = 200 + i } },
        })));
        try
        {
            using var client = new HttpClient();
            var statuses = await Task.WhenAll(servers.Select(async s =>
            {
                using var response = await client.GetAsync(s.GetUri("/x"));
                return (int)response.StatusCode;
            }));

            Assert.Equal(8, servers.Select(static s => s.Port).Distinct().Count());
            Assert.Equal(Enumerable.Range(200, 8), statuses);
            Assert.All(servers, static s => Assert.Equal(1, s.Stats.TotalRequests));
        }
        finally
        {
            await Task.WhenAll(servers.Select(static s => s.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task DisposeAsync_Twice_SecondDoesNothing()
    {
        var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions() } });

        await server.DisposeAsync();
        var second = await Record.ExceptionAsync(() => server.DisposeAsync().AsTask());

        Assert.Null(second);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsNamingTheField()
    {
        var error = await Assert.ThrowsAsync<ChaosOptionsException>(() => ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { FailureProbability = 2 } },
        }));

        Assert.Equal("hosts[0].routes[0].failureProbability must be between 0 and 1; it was 2.", error.Message);
    }

    [Fact]
    public async Task Routes_LongestPrefixWins_AndPrefixMatchesOnSegments()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes =
            {
                new ChaosRouteOptions { Path = "/", Status = 200 },
                new ChaosRouteOptions { Path = "/api/slow", Status = 504 },
                new ChaosRouteOptions { Path = "/api", Status = 503 },
            },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var statuses = await SequenceTests.GetStatusesAsync(client, "/api", "/api/1", "/api/slow/2", "/apix", "/other");

        Assert.Equal([503, 503, 504, 200, 200], statuses);
    }
}
