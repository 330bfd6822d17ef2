using System.Net;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Tests.Faults;

public sealed class SequenceTests
{
    [Fact]
    public async Task Sequence_503503200_KeyFailsTwiceThenSucceedsAndLastRepeats()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/flaky", Sequence = "503,503,200" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var statuses = await GetStatusesAsync(client, "/flaky/17", "/flaky/17", "/flaky/17", "/flaky/17");

        Assert.Equal([503, 503, 200, 200], statuses);
    }

    [Fact]
    public async Task Sequence_TwoKeys_EachKeyHasItsOwnCount()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/flaky", Sequence = "503,200" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var statuses = await GetStatusesAsync(client, "/flaky/1", "/flaky/2", "/flaky/1", "/flaky/2");

        Assert.Equal([503, 503, 200, 200], statuses);
    }

    [Theory]
    [InlineData(ChaosKeyMode.Path, "/r/a?x=1", "/r/a?x=2", 200)]
    [InlineData(ChaosKeyMode.PathAndQuery, "/r/a?x=1", "/r/a?x=2", 503)]
    [InlineData(ChaosKeyMode.PathAndQuery, "/r/a?x=1", "/r/a?x=1", 200)]
    [InlineData(ChaosKeyMode.Route, "/r/a", "/r/b", 200)]
    [InlineData(ChaosKeyMode.Path, "/r/a", "/r/b", 503)]
    public async Task Sequence_KeyMode_DecidesWhichRequestsShareACount(ChaosKeyMode mode, string first, string second, int secondStatus)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/r", Sequence = "503,200", Key = mode } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var statuses = await GetStatusesAsync(client, first, second);

        Assert.Equal([503, secondStatus], statuses);
    }

    [Fact]
    public async Task Sequence_Answers_CarryTheCallNumberOfTheirKey()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions() } });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var calls = new List<string>();
        foreach (var path in new[] { "/a", "/a", "/b", "/a" })
        {
            using var response = await client.GetAsync(path);
            calls.Add(Assert.Single(response.Headers.GetValues("X-Chaos-Call")));
        }

        Assert.Equal(["1", "2", "1", "3"], calls);
    }

    [Fact]
    public async Task Sequence_ResetThen200_FirstCallResetSecondSucceeds()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Sequence = "reset,200" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/x"));
        using var second = await client.GetAsync("/x");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, server.Stats.Routes["/"].Resets);
    }

    [Fact]
    public async Task Sequence_CutThen200_FirstBodyCutShortSecondComplete()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Sequence = "cut,200", BodySize = 10 } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetByteArrayAsync("/x"));
        var body = await client.GetByteArrayAsync("/x");

        Assert.Equal(10, body.Length);
        Assert.Equal(1, server.Stats.Routes["/"].CutShort);
    }

    internal static async Task<List<int>> GetStatusesAsync(HttpClient client, params string[] paths)
    {
        var statuses = new List<int>();
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path);
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }
}
