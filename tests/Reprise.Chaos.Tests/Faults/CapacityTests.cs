using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Tests.Faults;

public sealed class CapacityTests
{
    [Fact]
    public void Parse_Capacity_ReadIntoTheHostOptions()
    {
        var options = ChaosOptions.Parse("""
            { "hosts": [ { "capacity": { "limit": 20, "serviceMs": 50, "status": 429, "retryAfterSeconds": 1, "retryAfterFormat": "httpDate" }, "routes": [ {} ] } ] }
            """);

        var capacity = options.Hosts[0].Capacity!;
        Assert.Equal(20, capacity.Limit);
        Assert.Equal(50, capacity.ServiceMs);
        Assert.Equal(429, capacity.Status);
        Assert.Equal(1, capacity.RetryAfterSeconds);
        Assert.Equal(RetryAfterFormat.HttpDate, capacity.RetryAfterFormat);
        Assert.Equal(503, ChaosOptions.Parse("""{ "hosts": [ { "capacity": { "limit": 1 }, "routes": [ {} ] } ] }""").Hosts[0].Capacity!.Status);
    }

    [Fact]
    public async Task Capacity_AllPlacesTaken_ArrivalGets503AtOnceAndAdmittedAnswerAfterServiceTime()
    {
        var time = new FakeTimeProvider();
        var capacity = new ChaosCapacityOptions { Limit = 2, ServiceMs = 50 };
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Capacity = capacity, Routes = { new ChaosRouteOptions() } }, time);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var first = client.GetAsync("/a");
        var second = client.GetAsync("/b");
        await Poll.UntilAsync(() => server.Stats.InFlight == 2, "two requests are in service");
        using var refused = await client.GetAsync("/c");
        var stillWaiting = !first.IsCompleted && !second.IsCompleted;
        using var firstAnswer = await Poll.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(50), first);
        using var secondAnswer = await Poll.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(50), second);
        var third = client.GetAsync("/c");
        await Poll.UntilAsync(() => server.Stats.InFlight == 1, "the next request is in service");
        using var thirdAnswer = await Poll.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(50), third);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Null(refused.Headers.RetryAfter);
        Assert.True(stillWaiting);
        Assert.Equal(HttpStatusCode.OK, firstAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, thirdAnswer.StatusCode);
        Assert.Equal("1", string.Join(",", thirdAnswer.Headers.GetValues("X-Chaos-Call")));
        Assert.Equal(1, server.Stats.CountOf(503));
        Assert.Equal(3, server.Stats.CountOf(200));
    }

    [Fact]
    public async Task Capacity_WithRetryAfterAndStatus_RefusalCarriesThemAndCountsGroupEarly()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 3, 10, 0, 0, TimeSpan.Zero));
        var capacity = new ChaosCapacityOptions { Limit = 1, ServiceMs = 1000, Status = 429, RetryAfterSeconds = 2 };
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Capacity = capacity, Routes = { new ChaosRouteOptions() } }, time);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var held = client.GetAsync("/a");
        await Poll.UntilAsync(() => server.Stats.InFlight == 1, "one request is in service");
        using var refused = await client.GetAsync("/b");
        using var early = await client.GetAsync("/c");
        using var answer = await Poll.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), held);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(1, server.Stats.GroupEarlyRequests);
    }

    [Fact]
    public async Task Capacity_HungRequest_HoldsItsPlaceUntilTheClientGoesAway()
    {
        var capacity = new ChaosCapacityOptions { Limit = 1 };
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Capacity = capacity,
            Routes = { new ChaosRouteOptions { Path = "/hang", Hang = true }, new ChaosRouteOptions { Path = "/ok" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using (var cancel = new CancellationTokenSource())
        {
            var hung = client.GetAsync("/hang/1", cancel.Token);
            await Poll.UntilAsync(() => server.Stats.InFlight == 1, "the hung request is in service");
            using var refused = await client.GetAsync("/ok/1");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hung);
        }

        await Poll.UntilAsync(() => server.Stats.InFlight == 0, "the hung request ends");
        using var served = await client.GetAsync("/ok/2");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
