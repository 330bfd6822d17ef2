using Reprise.Chaos.Configuration;
using Reprise.Chaos.Faults;

namespace Reprise.Chaos.Tests.Faults;

public sealed class SeededFailureTests
{
    private const int Keys = 40;
    private const int CallsPerKey = 3;

    [Fact]
    public async Task FailureProbability_SameSeedTwice_SameOutcomes()
    {
        var first = await RunAsync(new ChaosRouteOptions { FailureProbability = 0.5, Seed = 7 }, parallel: false);
        var second = await RunAsync(new ChaosRouteOptions { FailureProbability = 0.5, Seed = 7 }, parallel: false);

        Assert.Equal(first, second);
        Assert.Contains(503, first.Values.SelectMany(static s => s));
        Assert.Contains(200, first.Values.SelectMany(static s => s));
    }

    [Fact]
    public async Task FailureProbability_DifferentSeed_DifferentOutcomes()
    {
        var first = await RunAsync(new ChaosRouteOptions { FailureProbability = 0.5, Seed = 7 }, parallel: false);
        var second = await RunAsync(new ChaosRouteOptions { FailureProbability = 0.5, Seed = 8 }, parallel: false);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task FailureProbability_KeysInterleavedConcurrently_SameOutcomesAsOneByOne()
    {
        var sequential = await RunAsync(new ChaosRouteOptions { FailureProbability = 0.3, Seed = 11, FailureStatus = 500 }, parallel: false);
        var concurrent = await RunAsync(new ChaosRouteOptions { FailureProbability = 0.3, Seed = 11, FailureStatus = 500 }, parallel: true);

        Assert.Equal(sequential, concurrent);
        Assert.Contains(500, sequential.Values.SelectMany(static s => s));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, Keys * CallsPerKey)]
    public async Task FailureProbability_Extremes_NoneOrEveryCallFails(double probability, int failures)
    {
        var outcomes = await RunAsync(new ChaosRouteOptions { FailureProbability = probability }, parallel: false);

        Assert.Equal(failures, outcomes.Values.SelectMany(static s => s).Count(static s => s == 503));
    }

    [Fact]
    public async Task FailingKeyFraction_FortyPercentFailTwice_ChosenKeysFailTheirFirstTwoCallsOnly()
    {
        var outcomes = await RunAsync(
            new ChaosRouteOptions { FailingKeyFraction = 0.4, FailingKeyAttempts = 2, FailureStatus = 502, Seed = 3 },
            parallel: false,
            keys: 200);

        var failing = outcomes.Values.Count(static s => s.SequenceEqual([502, 502, 200]));
        var healthy = outcomes.Values.Count(static s => s.SequenceEqual([200, 200, 200]));
        Assert.Equal(200, failing + healthy);
        Assert.InRange(failing, 60, 100);
    }

    [Fact]
    public void Unit_SameInputs_SameNumberAndSpreadOverTheUnitInterval()
    {
        var values = Enumerable.Range(1, 1000).Select(static n => SeededHash.Unit(5, SeededHash.FailurePurpose, "/k", n)).ToArray();
        var again = Enumerable.Range(1, 1000).Select(static n => SeededHash.Unit(5, SeededHash.FailurePurpose, "/k", n)).ToArray();

        Assert.Equal(values, again);
        Assert.All(values, static v => Assert.InRange(v, 0.0, 0.9999999999));
        Assert.InRange(values.Count(static v => v < 0.5), 400, 600);
    }

    private static async Task<Dictionary<string, int[]>> RunAsync(ChaosRouteOptions route, bool parallel, int keys = Keys)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { route } });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var paths = Enumerable.Range(0, keys).Select(static k => $"/item/{k}").ToArray();

        async Task<int[]> CallsAsync(string path)
        {
            var statuses = new int[CallsPerKey];
            for (var call = 0; call < CallsPerKey; call++)
            {
                using var response = await client.GetAsync(path);
                statuses[call] = (int)response.StatusCode;
            }

            return statuses;
        }

        var results = new Dictionary<string, int[]>();
        if (parallel)
        {
            var all = await Task.WhenAll(paths.Select(CallsAsync));
            for (var i = 0; i < paths.Length; i++)
            {
                results[paths[i]] = all[i];
            }
        }
        else
        {
            foreach (var path in paths)
            {
                results[path] = await CallsAsync(path);
            }
        }

        return results;
    }
}
