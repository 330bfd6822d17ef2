using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Tests.Faults;

public sealed class RetryAfterTests
{
    [Fact]
    public async Task RetryAfter_Delta_HeaderStatesSeconds()
    {
        await using var server = await StartAsync(new ChaosRetryAfterOptions { Seconds = 2 });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("/x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Null(response.Headers.RetryAfter?.Date);
    }

    [Fact]
    public async Task RetryAfter_HttpDate_DateMinusDateHeaderIsTheSeconds()
    {
        await using var server = await StartAsync(new ChaosRetryAfterOptions { Seconds = 3, Format = RetryAfterFormat.HttpDate });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("/x");

        var retryAt = response.Headers.RetryAfter?.Date;
        var date = response.Headers.Date;
        Assert.NotNull(retryAt);
        Assert.NotNull(date);
        Assert.Null(response.Headers.RetryAfter?.Delta);
        Assert.Equal(TimeSpan.FromSeconds(3), retryAt - date);
    }

    [Theory]
    [InlineData(500, false)]
    [InlineData(503, true)]
    [InlineData(200, false)]
    public async Task RetryAfter_Statuses_OnlyListedStatusesCarryIt(int status, bool carries)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes =
            {
                new ChaosRouteOptions { Status = status, RetryAfter = new ChaosRetryAfterOptions { Statuses = { 503 } } },
            },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("/x");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(carries, response.Headers.RetryAfter is not null);
    }

    [Theory]
    [InlineData(404, true)]
    [InlineData(200, false)]
    public async Task RetryAfter_NoStatusesListed_EveryErrorStatusCarriesIt(int status, bool carries)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Status = status, RetryAfter = new ChaosRetryAfterOptions() } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("/x");

        Assert.Equal(carries, response.Headers.RetryAfter is not null);
    }

    [Theory]
    [InlineData(RetryAfterFormat.Delta)]
    [InlineData(RetryAfterFormat.HttpDate)]
    public async Task RetryAfter_SameKeyBeforeItPasses_CountsEarlyOnlyUntilItPasses(RetryAfterFormat format)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 3, 10, 0, 0, 500, TimeSpan.Zero));
        await using var server = await StartAsync(new ChaosRetryAfterOptions { Seconds = 5, Format = format }, time);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        (await client.GetAsync("/x")).Dispose();
        time.Advance(TimeSpan.FromSeconds(4));
        (await client.GetAsync("/y")).Dispose();
        (await client.GetAsync("/x")).Dispose();
        var afterEarlyOne = server.Stats;
        time.Advance(TimeSpan.FromSeconds(5));
        (await client.GetAsync("/x")).Dispose();

        // /y is another key; /x at 4 s is early and gets a new 5 s wait; /x at 9 s arrives exactly when it ends.
        Assert.Equal(1, afterEarlyOne.EarlyRequests);
        Assert.Equal(1, server.Stats.EarlyRequests);
        Assert.Equal(1, server.Stats.Routes["/"].EarlyRequests);
        Assert.Equal(0, server.Stats.GroupEarlyRequests);
    }

    private static Task<ChaosServer> StartAsync(ChaosRetryAfterOptions retryAfter, TimeProvider? time = null)
        => ChaosServer.StartAsync(
            new ChaosHostOptions { Routes = { new ChaosRouteOptions { Status = 503, RetryAfter = retryAfter } } },
            time);
}
