using System.Net;
using System.Text;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Transport;
using Reprise.Retry;

namespace Reprise.Tests.Transport;

/// <summary><see cref="RepriseTransportHandler"/> under <see cref="RepriseHandler"/>, against the chaos server over real sockets.</summary>
public class RedirectsOverSocketsTests
{
    private static readonly string[] Secrets = ["Cookie", "X-Api-Key", "Authorization", "Accept"];

    [Fact]
    public async Task SendAsync_RedirectToItself_FailsAsALoopAfterOneRequest()
    {
        await using var server = await ChaosServer.StartAsync(Route(new ChaosRouteOptions { Path = "/loop", Status = 302, Location = "/loop" }));
        using var client = Client(new RedirectOptions());

        var error = await Assert.ThrowsAsync<RepriseRedirectException>(() => client.GetAsync(server.GetUri("/loop")));

        Assert.Equal(RetryStopReason.RedirectLoop, error.StopReason);
        Assert.Equal(1, server.Stats.TotalRequests);
    }

    [Fact]
    public async Task SendAsync_EndlessChain_StopsAfterMaxRedirects()
    {
        await using var server = await ChaosServer.StartAsync(Route(
            new ChaosRouteOptions { Path = "/chain", Status = 302, Location = "/chain/{n}", Key = ChaosKeyMode.Route }));
        using var client = Client(new RedirectOptions { MaxRedirects = 3 });

        var error = await Assert.ThrowsAsync<RepriseRedirectException>(() => client.GetAsync(server.GetUri("/chain")));

        Assert.Equal(RetryStopReason.TooManyRedirects, error.StopReason);
        Assert.Equal(3, error.Hops.Count);
        Assert.Equal(4, server.Stats.TotalRequests);
    }

    [Fact]
    public async Task SendAsync_ShortChain_FollowedAndTheHopsAreOnTheResponse()
    {
        await using var server = await ChaosServer.StartAsync(Route(
            new ChaosRouteOptions { Path = "/a", Status = 301, Location = "/b" },
            new ChaosRouteOptions { Path = "/b", Status = 307, Location = "/c?x=1" },
            new ChaosRouteOptions { Path = "/c", BodySize = 5 }));
        using var client = Client(new RedirectOptions());

        using var response = await client.GetAsync(server.GetUri("/a"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hops = response.GetRedirectHops();
        Assert.Equal([HttpStatusCode.MovedPermanently, HttpStatusCode.TemporaryRedirect], hops.Select(static h => h.StatusCode));
        Assert.Equal(server.GetUri("/c?x=1"), hops[1].To);
        Assert.False(hops[1].CrossedOrigin);
        Assert.Equal(1, response.GetRetryHistory()!.Count);
    }

    [Fact]
    public async Task SendAsync_FollowingOff_TheRedirectIsTheAnswer()
    {
        await using var server = await ChaosServer.StartAsync(Route(new ChaosRouteOptions { Path = "/loop", Status = 302, Location = "/loop" }));
        using var client = Client(new RedirectOptions { Follow = false });

        using var response = await client.GetAsync(server.GetUri("/loop"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(1, server.Stats.TotalRequests);
    }

    [Fact]
    public async Task SendAsync_ToANonHttpScheme_RefusedAsInsecure()
    {
        await using var server = await ChaosServer.StartAsync(Route(new ChaosRouteOptions { Path = "/ftp", Status = 302, Location = "ftp://127.0.0.1/x" }));
        using var client = Client(new RedirectOptions());

        var error = await Assert.ThrowsAsync<RepriseRedirectException>(() => client.GetAsync(server.GetUri("/ftp")));

        Assert.Equal(RetryStopReason.InsecureRedirect, error.StopReason);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task SendAsync_RedirectToAnotherOrigin_KeepsTheHeadersBackUnlessTrusted(bool trusted, long secretsSeen)
    {
        await using var other = await ChaosServer.StartAsync(new ChaosHostOptions { CountHeaders = Secrets, Routes = { new ChaosRouteOptions() } });
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            CountHeaders = Secrets,
            Routes = { new ChaosRouteOptions { Path = "/away", Status = 302, Location = other.GetUri("/land").AbsoluteUri } },
        });
        using var client = Client(new RedirectOptions { TrustOtherOrigins = trusted });
        using var request = new HttpRequestMessage(HttpMethod.Get, server.GetUri("/away"));
        request.Headers.Add("Cookie", "session=s3cret");
        request.Headers.Add("X-Api-Key", "k3y");
        request.Headers.Add("Authorization", "Bearer t0ken");
        request.Headers.Add("Accept", "application/json");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Assert.Single(response.GetRedirectHops()).CrossedOrigin);
        Assert.Equal(1, server.Stats.RequestHeaders["Cookie"]);
        var landed = other.Stats.RequestHeaders;
        Assert.Equal(secretsSeen, landed["Cookie"]);
        Assert.Equal(secretsSeen, landed["X-Api-Key"]);
        Assert.Equal(secretsSeen, landed["Authorization"]);
        Assert.Equal(1, landed["Accept"]);
    }

    [Fact]
    public async Task SendAsync_RedirectWithinTheOrigin_KeepsTheHeaders()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            CountHeaders = Secrets,
            Routes = { new ChaosRouteOptions { Path = "/here", Status = 302, Location = "/there" }, new ChaosRouteOptions { Path = "/there" } },
        });
        using var client = Client(new RedirectOptions());
        using var request = new HttpRequestMessage(HttpMethod.Get, server.GetUri("/here"));
        request.Headers.Add("X-Api-Key", "k3y");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Stats.RequestHeaders["X-Api-Key"]);
    }

    [Theory]
    [InlineData(303, 0)]
    [InlineData(302, 0)]
    [InlineData(307, 1)]
    [InlineData(308, 1)]
    public async Task SendAsync_PostRedirected_303And302BecomeGetWithoutBody307And308KeepIt(int status, long bodiesAtTarget)
    {
        await using var target = await ChaosServer.StartAsync(new ChaosHostOptions { CountHeaders = { "Content-Type" }, Routes = { new ChaosRouteOptions() } });
        await using var server = await ChaosServer.StartAsync(Route(new ChaosRouteOptions { Path = "/post", Status = status, Location = target.GetUri("/t").AbsoluteUri }));
        using var client = Client(new RedirectOptions());

        using var response = await client.PostAsync(server.GetUri("/post"), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bodiesAtTarget, target.Stats.RequestHeaders["Content-Type"]);
        Assert.Equal(bodiesAtTarget == 0 ? HttpMethod.Get : HttpMethod.Post, Assert.Single(response.GetRedirectHops()).Method);
    }

    [Fact]
    public async Task SendAsync_UserInfoInTheUrl_SentAsBasicAuthentication()
    {
        await using var server = await ChaosServer.StartAsync(Route(new ChaosRouteOptions { Path = "/auth", BasicAuth = "user:p@ss" }));
        using var client = Client(new RedirectOptions());
        var url = new UriBuilder(server.GetUri("/auth")) { UserName = "user", Password = "p%40ss" }.Uri;

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SendAsync_UserInfoAndARedirectToAnotherOrigin_TheCredentialsStayHome()
    {
        await using var other = await ChaosServer.StartAsync(new ChaosHostOptions { CountHeaders = { "Authorization" }, Routes = { new ChaosRouteOptions() } });
        await using var server = await ChaosServer.StartAsync(Route(
            new ChaosRouteOptions { Path = "/auth", BasicAuth = "user:pw", Status = 302, Location = other.GetUri("/x").AbsoluteUri }));
        using var client = Client(new RedirectOptions());

        using var response = await client.GetAsync(new UriBuilder(server.GetUri("/auth")) { UserName = "user", Password = "pw" }.Uri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(response.GetRedirectHops());
        Assert.Equal(0, other.Stats.RequestHeaders["Authorization"]);
    }

    private static ChaosHostOptions Route(params ChaosRouteOptions[] routes)
    {
        var host = new ChaosHostOptions();
        foreach (var route in routes)
        {
            host.Routes.Add(route);
        }

        return host;
    }

    private static HttpClient Client(RedirectOptions redirects)
        => new(new RepriseHandler(new RepriseTransportHandler(new SocketsHttpHandler(), redirects), new RepriseOptions { BaseDelay = TimeSpan.Zero }));
}
