using System.Globalization;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;

namespace Reprise.ScaleOut;

/// <summary>
/// An outage seen by three processes (issue 15): one chaos host answers every request 503 after 200 ms (so requests
/// in flight at once can be seen) for the whole run; three fetch processes of 200 URLs each, bounded by a 20 s
/// deadline. Once the processes' circuits are open, only probes go out: shared through Redis, one at a time across
/// the three; each alone, one per process. The host's in-flight maximum per second, over the seconds from the first
/// arrival + <see cref="OpeningSeconds"/> on (the circuits opened), is the probes in flight at once.
/// </summary>
internal static class OutageScenario
{
    /// <summary>The seconds after the first arrival left out: the processes' circuits open within them.</summary>
    public const int OpeningSeconds = 3;

    private const int Processes = 3;
    private const int UrlsPerProcess = 200;
    private const int LatencyMs = 200;

    public static async Task<OutageRun> RunAsync(string cli, string? redis, CancellationToken cancellationToken)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/", Status = 503, LatencyMs = LatencyMs } },
        });
        var tasks = Enumerable.Range(0, Processes).Select(p =>
        {
            var urls = Enumerable.Range(0, UrlsPerProcess).Select(i => server.GetUri($"/p{p}/{i}").AbsoluteUri).ToList();
            return FetchProcess.RunAsync(cli, urls, redis, cancellationToken, deadline: "20s");
        }).ToList();
        var outcomes = await Task.WhenAll(tasks);
        var stats = server.Stats;
        var series = stats.MaxInFlightBySecond;
        int first = Enumerable.Range(0, series.Count).FirstOrDefault(i => series[i] > 0);
        var after = series.Skip(first + OpeningSeconds).ToList();
        return new OutageRun(
            stats.TotalRequests,
            stats.MaxInFlight,
            after.Count == 0 ? 0 : after.Max(),
            after.Count(static n => n > 1),
            after.Count,
            outcomes.Sum(static o => o.Results),
            outcomes.Sum(static o => o.RoundTrips ?? 0),
            string.Join(",", series));
    }

    public static string Describe(OutageRun run) => string.Create(
        CultureInfo.InvariantCulture,
        $"host saw {run.Requests} requests, in flight at most {run.MaxInFlight} over the run, {run.MaxAfterOpening} after the opening ({run.SecondsAboveOne} of {run.SecondsAfterOpening} s with more than one); {run.Results} results; round trips {run.RoundTrips}; by second: {run.Series}");
}

/// <summary>What the host saw during one outage run.</summary>
internal sealed record OutageRun(long Requests, long MaxInFlight, long MaxAfterOpening, int SecondsAboveOne, int SecondsAfterOpening, long Results, long RoundTrips, string Series);
