using System.Net;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Retry;

namespace Reprise.Tests.Integration;

/// <summary>The handler against the chaos server over real sockets on 127.0.0.1.</summary>
public class HandlerOverSocketsTests
{
    [Fact]
    public async Task SendAsync_ConnectionReset_IsRetried()
    {
        await using var server = await ChaosServer.StartAsync(Host(new ChaosRouteOptions { Path = "/r", Sequence = "reset,200" }));
        using var client = Client(new RepriseOptions { BaseDelay = TimeSpan.Zero });

        using var response = await client.GetAsync(server.GetUri("/r/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var history = response.GetRetryHistory()!;
        Assert.Equal(2, history.Attempts.Count);
        Assert.NotNull(history.Attempts[0].ErrorType);
        Assert.Equal(1, server.Stats.Routes["/r"].Resets);
    }

    [Fact]
    public async Task SendAsync_HungAttempt_HitsTheAttemptTimeoutAndTheRetrySucceeds()
    {
        await using var server = await ChaosServer.StartAsync(Host(new ChaosRouteOptions { Path = "/h", HangFirst = 1 }));
        using var client = Client(new RepriseOptions { BaseDelay = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromSeconds(1) });

        using var response = await client.GetAsync(server.GetUri("/h/1"));

        // Only the first call hangs; on a loaded machine a slow second answer may time out too, so the test pins
        // what must hold: the hang cost one timed-out attempt and a later attempt succeeded.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var history = response.GetRetryHistory()!;
        Assert.Equal("timeout", history.Attempts[0].ErrorType);
        Assert.Null(history.Attempts[^1].ErrorType);
        Assert.Equal(1, server.Stats.Routes["/h"].Hangs);
    }

    [Fact]
    public async Task SendAsync_BodyCutShort_IsATransportFailureAndIsRetried()
    {
        await using var server = await ChaosServer.StartAsync(Host(new ChaosRouteOptions { Path = "/c", Sequence = "cut,200", BodySize = 10_000 }));
        using var client = Client(new RepriseOptions { BaseDelay = TimeSpan.Zero });

        using var response = await client.GetAsync(server.GetUri("/c/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10_000, (await response.Content.ReadAsByteArrayAsync()).Length);
        var history = response.GetRetryHistory()!;
        Assert.Equal(2, history.Attempts.Count);
        Assert.Equal("response_ended", history.Attempts[0].ErrorType);
        Assert.Equal(1, server.Stats.Routes["/c"].CutShort);
    }

    [Fact]
    public async Task SendAsync_BodyCutShortEveryTime_ThrowsWithTheHistory()
    {
        await using var server = await ChaosServer.StartAsync(Host(new ChaosRouteOptions { Path = "/c", CutShort = true, BodySize = 10_000 }));
        using var client = Client(new RepriseOptions { BaseDelay = TimeSpan.Zero, MaxAttempts = 3 });

        var error = await Assert.ThrowsAsync<RepriseRequestException>(() => client.GetAsync(server.GetUri("/c/1")));

        Assert.Equal(RetryStopReason.AttemptsExhausted, error.StopReason);
        Assert.Equal(3, server.Stats.Routes["/c"].CutShort);
    }

    [Theory]
    [InlineData(RetryAfterFormat.HttpDate)]
    [InlineData(RetryAfterFormat.Delta)]
    public async Task SendAsync_TooManyRequestsWithRetryAfter_IsNeverRetriedEarly(RetryAfterFormat format)
    {
        await using var server = await ChaosServer.StartAsync(Host(new ChaosRouteOptions
        {
            Path = "/t",
            Sequence = "429,200",
            RetryAfter = new ChaosRetryAfterOptions { Seconds = 1, Format = format, Statuses = { 429 } },
        }));
        using var client = Client(new RepriseOptions());

        using var response = await client.GetAsync(server.GetUri("/t/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = response.GetRetryHistory()!.Attempts[0];
        Assert.Equal(RetryWaitSource.RetryAfter, first.DelaySource);
        Assert.Equal(0, server.Stats.EarlyRequests);
        Assert.Equal(2, server.Stats.TotalRequests);
    }

    [Fact]
    public async Task SendAsync_TwentyRetriesOfOneUrl_ReuseOneConnection()
    {
        var sequence = string.Join(',', Enumerable.Repeat("503", 20)) + ",200";
        await using var server = await ChaosServer.StartAsync(Host(new ChaosRouteOptions { Path = "/s", Sequence = sequence, BodySize = 512 }));
        using var client = Client(new RepriseOptions { MaxAttempts = 21, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });

        using var response = await client.GetAsync(server.GetUri("/s/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(21, server.Stats.TotalRequests);
        Assert.Equal(1, server.Stats.ConnectionsOpened);
    }

    [Fact]
    public async Task SendAsync_DiscardedBodyTrickledSlowly_IsAbandonedAfterTheDrainBound()
    {
        // The 503's 100-byte body takes 10 s at 10 bytes/s. With no deadline, an unbounded drain would wait it out and
        // reuse the connection; the 2 s drain bound gives up, closes it, and the retry opens a second connection.
        await using var server = await ChaosServer.StartAsync(Host(new ChaosRouteOptions
        {
            Path = "/slow-error",
            Sequence = "503,200",
            BodySize = 100,
            TrickleBytesPerSecond = 10,
        }));
        using var client = Client(new RepriseOptions { BaseDelay = TimeSpan.Zero, Deadline = Timeout.InfiniteTimeSpan, MaxBufferedResponseSize = 0 });

        using var response = await client.GetAsync(server.GetUri("/slow-error/1"), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Stats.ConnectionsOpened);
    }

    [Fact]
    public async Task SendAsync_NotFound_IsSentExactlyOnce()
    {
        await using var server = await ChaosServer.StartAsync(Host(new ChaosRouteOptions { Path = "/missing", Status = 404 }));
        using var client = Client(new RepriseOptions());

        using var response = await client.GetAsync(server.GetUri("/missing/1"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, server.Stats.TotalRequests);
        Assert.Equal(RetryStopReason.Completed, response.GetRetryHistory()!.StopReason);
    }

    private static ChaosHostOptions Host(ChaosRouteOptions route) => new() { Routes = { route } };

    private static HttpClient Client(RepriseOptions options)
        => new(new RepriseHandler(new SocketsHttpHandler(), options)) { Timeout = TimeSpan.FromSeconds(30) };
}
