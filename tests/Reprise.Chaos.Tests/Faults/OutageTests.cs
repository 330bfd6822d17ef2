using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Tests.Faults;

public sealed class OutageTests
{
    [Fact]
    public async Task Outage_ShortWindowOnRealClock_503sThenHealthy()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Outage = new ChaosOutageOptions { DurationMs = 300 } } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var first = await client.GetAsync("/x");
        using var healthy = await Poll.UntilAsync(() => client.GetAsync("/x"), static r => r.StatusCode == HttpStatusCode.OK, "the outage ends");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Null(first.Headers.RetryAfter);
        Assert.True(server.Stats.CountOf(503) >= 1);
    }

    [Fact]
    public async Task Outage_FromFirstRequest_FailsForTheWindowThenHealthy()
    {
        var time = new FakeTimeProvider();
        await using var server = await ChaosServer.StartAsync(
            new ChaosHostOptions { Routes = { new ChaosRouteOptions { Outage = new ChaosOutageOptions { DurationMs = 300, Status = 502 } } } },
            time);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        time.Advance(TimeSpan.FromHours(1));
        var during = await SequenceTests.GetStatusesAsync(client, "/a", "/b");
        time.Advance(TimeSpan.FromMilliseconds(299));
        var stillDuring = await SequenceTests.GetStatusesAsync(client, "/a");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var after = await SequenceTests.GetStatusesAsync(client, "/a", "/b");

        Assert.Equal([502, 502], during);
        Assert.Equal([502], stillDuring);
        Assert.Equal([200, 200], after);
    }

    [Fact]
    public async Task Outage_FromStartup_WindowRunsWithoutRequests()
    {
        var time = new FakeTimeProvider();
        var outage = new ChaosOutageOptions { DurationMs = 300, Start = OutageStart.Startup };
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Outage = outage, Routes = { new ChaosRouteOptions() } }, time);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var during = await SequenceTests.GetStatusesAsync(client, "/a");
        time.Advance(TimeSpan.FromMilliseconds(300));
        var after = await SequenceTests.GetStatusesAsync(client, "/a");

        Assert.Equal([503], during);
        Assert.Equal([200], after);
    }

    [Theory]
    [InlineData(RetryAfterFormat.Delta)]
    [InlineData(RetryAfterFormat.HttpDate)]
    public async Task Outage_WithRetryAfter_HeaderSentAndRequestsBeforeItPassesCountGroupEarly(RetryAfterFormat format)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 3, 10, 0, 0, TimeSpan.Zero));
        var outage = new ChaosOutageOptions { DurationMs = 60_000, RetryAfterSeconds = 2, RetryAfterFormat = format };
        await using var server = await ChaosServer.StartAsync(
            new ChaosHostOptions { Outage = outage, Routes = { new ChaosRouteOptions { Path = "/a" }, new ChaosRouteOptions { Path = "/b" } } },
            time);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var first = await client.GetAsync("/a");
        (await client.GetAsync("/b")).Dispose();
        time.Advance(TimeSpan.FromSeconds(2));
        (await client.GetAsync("/b")).Dispose();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.NotNull(first.Headers.RetryAfter);
        Assert.Equal(1, server.Stats.GroupEarlyRequests);
        Assert.Equal(1, server.Stats.Routes["/b"].GroupEarlyRequests);
        Assert.Equal(0, server.Stats.EarlyRequests);
    }
}
