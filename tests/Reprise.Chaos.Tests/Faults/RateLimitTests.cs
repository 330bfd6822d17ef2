using System.Net;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Tests.Faults;

public sealed class RateLimitTests
{
    // A bucket that refills one token every 100 s never refills during a test.
    private const double AlmostNever = 0.01;

    [Fact]
    public async Task RateLimit_BurstPlusOneFastRequests_LastGets429WithRetryAfter()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = AlmostNever, Burst = 3 } } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var statuses = await SequenceTests.GetStatusesAsync(client, "/a", "/b", "/c");
        using var limited = await client.GetAsync("/d");

        Assert.Equal([200, 200, 200], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 100);
        Assert.Equal(1, server.Stats.CountOf(429));
    }

    [Fact]
    public async Task RateLimit_HttpDateFormat_RetryAfterIsADate()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes =
            {
                new ChaosRouteOptions
                {
                    RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = AlmostNever, RetryAfterFormat = RetryAfterFormat.HttpDate },
                },
            },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        (await client.GetAsync("/a")).Dispose();
        using var limited = await client.GetAsync("/a");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Date);
        Assert.True(limited.Headers.RetryAfter.Date > limited.Headers.Date);
    }

    [Fact]
    public async Task RateLimit_OnHost_SharedByEveryRoute()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = AlmostNever, Burst = 2 },
            Routes = { new ChaosRouteOptions { Path = "/a" }, new ChaosRouteOptions { Path = "/b" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var statuses = await SequenceTests.GetStatusesAsync(client, "/a", "/b", "/b", "/a");

        Assert.Equal([200, 200, 429, 429], statuses);
    }

    [Fact]
    public async Task RateLimit_OnRoutes_EachRouteHasItsOwnBucket()
    {
        var limit = new ChaosRateLimitOptions { RequestsPerSecond = AlmostNever };
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/a", RateLimit = limit }, new ChaosRouteOptions { Path = "/b", RateLimit = limit } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var statuses = await SequenceTests.GetStatusesAsync(client, "/a", "/b", "/a", "/b");

        Assert.Equal([200, 200, 429, 429], statuses);
        Assert.Equal(1, server.Stats.Routes["/a"].CountOf(429));
        Assert.Equal(1, server.Stats.Routes["/b"].CountOf(429));
    }

    [Fact]
    public async Task RateLimit_RequestsWhileItsRetryAfterRuns_CountGroupEarlyAndSameKeyEarly()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = AlmostNever },
            Routes = { new ChaosRouteOptions { Path = "/a" }, new ChaosRouteOptions { Path = "/b" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var statuses = await SequenceTests.GetStatusesAsync(client, "/a/1", "/a/1", "/b/2", "/a/1");

        var stats = server.Stats;
        Assert.Equal([200, 429, 429, 429], statuses);
        Assert.Equal(2, stats.GroupEarlyRequests);
        Assert.Equal(1, stats.Routes["/b"].GroupEarlyRequests);
        Assert.Equal(1, stats.EarlyRequests);
        Assert.Equal(1, stats.Routes["/a"].EarlyRequests);
    }

    [Fact]
    public async Task RateLimit_RejectedRequests_DoNotCountAsCallsOfTheKey()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes =
            {
                new ChaosRouteOptions
                {
                    Sequence = "503,503,200",
                    RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = 2, Burst = 1 },
                },
            },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var first = await client.GetAsync("/k");
        using var next = await Poll.UntilAsync(() => client.GetAsync("/k"), static r => r.StatusCode != HttpStatusCode.TooManyRequests, "a token is free");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, next.StatusCode);
        Assert.Equal("2", Assert.Single(next.Headers.GetValues("X-Chaos-Call")));
    }

    [Fact]
    public async Task Reset_AfterBucketEmptied_BucketFullAgain()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = AlmostNever } } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var before = await SequenceTests.GetStatusesAsync(client, "/k", "/k");
        server.Reset();
        var after = await SequenceTests.GetStatusesAsync(client, "/k");

        Assert.Equal([200, 429], before);
        Assert.Equal([200], after);
        Assert.Equal(0, server.Stats.EarlyRequests);
    }
}
