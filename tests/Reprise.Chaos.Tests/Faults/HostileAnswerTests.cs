using System.Net;
using System.Net.Sockets;
using System.Text;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Tests.Faults;

/// <summary>The answers a hostile server gives: redirects, authentication, compression bombs, raw bytes, closed connections.</summary>
public sealed class HostileAnswerTests
{
    [Fact]
    public async Task Location_CallPlaceholder_EachCallPointsElsewhere()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/chain", Status = 302, Location = "/chain/{n}", Key = ChaosKeyMode.Route } },
        });
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        using var first = await client.GetAsync("/chain");
        using var second = await client.GetAsync("/chain/1");

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal("/chain/1", first.Headers.Location?.OriginalString);
        Assert.Equal("/chain/2", second.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task BasicAuth_WithoutAndWithCredentials_401ThenTheStatus()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            CountHeaders = { "Authorization", "Cookie" },
            Routes = { new ChaosRouteOptions { BasicAuth = "user:pa:ss" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var refused = await client.GetAsync("/a");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/a");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:pa:ss")));
        using var accepted = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Basic", refused.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, server.Stats.RequestHeaders["authorization"]);
        Assert.Equal(0, server.Stats.RequestHeaders["Cookie"]);
    }

    [Fact]
    public async Task Gzip_SmallOnTheWire_DecompressesToTheBodySize()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Gzip = true, BodySize = 4 * 1024 * 1024 } },
        });
        using var raw = new HttpClient { BaseAddress = server.BaseAddress };
        using var inflating = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip }) { BaseAddress = server.BaseAddress };

        var wire = await raw.GetByteArrayAsync("/bomb");
        var body = await inflating.GetByteArrayAsync("/bomb");

        Assert.InRange(wire.Length, 1, 100_000);
        Assert.Equal(4 * 1024 * 1024, body.Length);
        Assert.Equal("0123456789", Encoding.ASCII.GetString(body, 0, 10));
    }

    [Fact]
    public async Task Raw_Answer_IsWrittenAsGivenThenTheConnectionCloses()
    {
        const string Answer = "HTTP/1.1 200 \u001b]0;pwned\u0007OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi";
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            CountHeaders = { "X-Api-Key" },
            Routes = { new ChaosRouteOptions { Path = "/raw", Raw = Answer }, new ChaosRouteOptions { Path = "/ok" } },
        });

        var received = await SendRawAsync(server.Port, "GET /raw/1 HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\n\r\n");
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var normal = await client.GetAsync("/ok");

        Assert.Equal(Answer, received);
        Assert.Equal(HttpStatusCode.OK, normal.StatusCode);
        Assert.Equal(1, server.Stats.Routes["/raw"].RawAnswers);
        Assert.Equal(1, server.Stats.RequestHeaders["X-Api-Key"]);
        Assert.Equal(2, server.Stats.TotalRequests);
    }

    [Fact]
    public async Task Raw_OnAReusedConnection_ClosesItAndTheClientsRetryGetsTheRawAnswer()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes =
            {
                new ChaosRouteOptions { Path = "/raw", Raw = "HTTP/1.1 418 Teapot\r\nContent-Length: 0\r\n\r\n" },
                new ChaosRouteOptions { Path = "/ok" },
            },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var normal = await client.GetAsync("/ok");
        using var raw = await client.GetAsync("/raw");

        Assert.Equal((HttpStatusCode)418, raw.StatusCode);
        Assert.Equal(1, server.Stats.Routes["/raw"].Closes);
        Assert.Equal(1, server.Stats.Routes["/raw"].RawAnswers);
    }

    [Fact]
    public async Task Close_EveryCall_ClientGetsAnErrorAndServerCountsEachClose()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Close = true } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/c"));

        // The runtime's pool sends a request again on its own when a connection closes before any answer.
        var route = server.Stats.Routes["/"];
        Assert.InRange(route.Closes, 1, 10);
        Assert.Equal(route.Requests, route.Closes);
    }

    [Fact]
    public async Task Close_InASequence_TheNextCallIsAnswered()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Sequence = "close,200" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("/c");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.Stats.Routes["/"].Closes);
        Assert.Equal(2, server.Stats.Routes["/"].Requests);
    }

    private static async Task<string> SendRawAsync(int port, string request)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var received = new MemoryStream();
        await stream.CopyToAsync(received);
        return Encoding.Latin1.GetString(received.ToArray());
    }
}
