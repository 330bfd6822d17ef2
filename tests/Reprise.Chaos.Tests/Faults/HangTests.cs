using System.Net;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Tests.Faults;

public sealed class HangTests
{
    [Fact]
    public async Task Hang_ClientGivesUp_ClientCancelledAndServerCountsTheHang()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/hang", Hang = true } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var cancel = new CancellationTokenSource();

        var pending = client.GetAsync("/hang/1", cancel.Token);
        await Poll.UntilAsync(() => server.Stats.Routes["/hang"].Hangs == 1, "the server holds the request");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await Poll.UntilAsync(() => server.Stats.InFlight == 0, "the server sees the client gone");
        Assert.Equal(1, server.Stats.TotalRequests);
        Assert.Empty(server.Stats.Statuses);
    }

    [Fact]
    public async Task HangFirst_One_FirstAttemptHangsRetrySucceeds()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { HangFirst = 1 } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var cancel = new CancellationTokenSource();

        var first = client.GetAsync("/k", cancel.Token);
        await Poll.UntilAsync(() => server.Stats.Routes["/"].Hangs == 1, "the first attempt hangs");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        using var second = await client.GetAsync("/k");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, server.Stats.Routes["/"].Hangs);
    }

    [Fact]
    public async Task DisposeAsync_RequestHanging_StopsAndClientSeesTheConnectionEnd()
    {
        var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { Hang = true } } });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var pending = client.GetAsync("/k");
        await Poll.UntilAsync(() => server.Stats.Routes["/"].Hangs == 1, "the request hangs");

        await server.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
    }
}
