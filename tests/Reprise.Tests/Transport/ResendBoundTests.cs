using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Retry;
using Reprise.Transport;

namespace Reprise.Tests.Transport;

/// <summary>The connection pool's own re-sends, counted by the chaos server over real sockets.</summary>
public class ResendBoundTests
{
    [Fact]
    public async Task SendAsync_ServerClosesEveryConnection_AtMostTwoRequestsPerAttemptReachIt()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { Close = true } } });
        var options = new RepriseOptions { MaxAttempts = 4, BaseDelay = TimeSpan.Zero };
        using var client = new HttpClient(new RepriseHandler(new RepriseTransportHandler(new SocketsHttpHandler(), new RedirectOptions()), options));

        await Assert.ThrowsAsync<RepriseRequestException>(() => client.GetAsync(server.GetUri("/closing")));

        // Without the bound the pool sends each attempt four times: 16 requests for 4 attempts.
        Assert.InRange(server.Stats.TotalRequests, 4, 2 * 4);
    }
}
