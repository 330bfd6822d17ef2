using System.Globalization;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;

namespace Reprise.ScaleOut;

/// <summary>
/// Issue 15's figures. (1) Three fetch processes, 1,000 URLs each, against one chaos host limited to 200 requests/s
/// (burst 20): with their hosts' state shared through Redis and without, alternated; 429s as a share of every request
/// the host saw, and aggregate throughput (ok results / wall time of the slowest) against 200/s. (2) One process, no
/// faults, Redis on and off alternated: the throughput ratio and the Redis round trips per request.
/// </summary>
internal sealed class ScaleOutBench(int runs, TextWriter output, bool outageOnly = false)
{
    private const int Processes = 3;
    private const int UrlsPerProcess = 1000;
    private const double HostRate = 200;
    private const int HostBurst = 20;
    private const int SoloUrls = 5000;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (FindCli() is not { } cli)
        {
            await Console.Error.WriteLineAsync("the CLI is not built: dotnet build -c Release src/Reprise.Cli");
            return 1;
        }

        using var garnet = await GarnetProcess.StartAsync();
        var redis = $"127.0.0.1:{garnet.Port}";
        var shared = new List<GroupRun>();
        var local = new List<GroupRun>();
        var soloOn = new List<FetchOutcome>();
        var soloOff = new List<FetchOutcome>();
        var outages = (Shared: new List<OutageRun>(), Alone: new List<OutageRun>());
        for (int run = 0; run < runs; run++)
        {
            foreach (var withRedis in run % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var outage = await OutageScenario.RunAsync(cli, withRedis ? redis : null, cancellationToken);
                (withRedis ? outages.Shared : outages.Alone).Add(outage);
                output.WriteLine($"run {run + 1} outage, {(withRedis ? "shared" : "alone ")}: {OutageScenario.Describe(outage)}");
            }

            if (outageOnly)
            {
                continue;
            }

            // Alternated, and the order flipped every run, so drift in the machine's load falls on both.
            foreach (var withRedis in run % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var group = await RunGroupAsync(cli, withRedis ? redis : null, cancellationToken);
                (withRedis ? shared : local).Add(group);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1} three processes, {(withRedis ? "shared" : "alone ")}: {Describe(group)}"));
            }

            foreach (var withRedis in run % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var solo = await RunSoloAsync(cli, withRedis ? redis : null, cancellationToken);
                (withRedis ? soloOn : soloOff).Add(solo);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run + 1} one process, redis {(withRedis ? "on " : "off")}: {solo.Ok}/{solo.Results} ok in {solo.Wall.TotalSeconds:0.00}s ({solo.Ok / solo.Wall.TotalSeconds:0}/s; its own rate {solo.OwnRate:0}/s), {solo.Attempts} attempts, round trips {solo.RoundTrips?.ToString(CultureInfo.InvariantCulture) ?? "-"}"));
            }
        }

        WriteOutageTable(outages.Shared, outages.Alone);
        if (!outageOnly)
        {
            WriteTable(shared, local, soloOn, soloOff);
        }

        return 0;
    }

    private static async Task<GroupRun> RunGroupAsync(string cli, string? redis, CancellationToken cancellationToken)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = HostRate, Burst = HostBurst },
            Routes = { new ChaosRouteOptions { Path = "/", BodySize = 100 } },
        });
        var tasks = Enumerable.Range(0, Processes).Select(p =>
        {
            var urls = Enumerable.Range(0, UrlsPerProcess).Select(i => server.GetUri($"/p{p}/{i}").AbsoluteUri).ToList();
            return FetchProcess.RunAsync(cli, urls, redis, cancellationToken);
        }).ToList();
        var outcomes = await Task.WhenAll(tasks);
        var stats = server.Stats;
        return new GroupRun(outcomes, stats.TotalRequests, stats.CountOf(429));
    }

    private static async Task<FetchOutcome> RunSoloAsync(string cli, string? redis, CancellationToken cancellationToken)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { Path = "/", BodySize = 100 } } });
        var urls = Enumerable.Range(0, SoloUrls).Select(i => server.GetUri($"/solo/{i}").AbsoluteUri).ToList();
        return await FetchProcess.RunAsync(cli, urls, redis, cancellationToken);
    }

    private static string Describe(GroupRun group) => string.Create(
        CultureInfo.InvariantCulture,
        $"{group.Ok}/{Processes * UrlsPerProcess} ok in {group.Wall.TotalSeconds:0.0}s = {group.Throughput:0}/s ({group.Throughput / HostRate:0.00} x 200/s); host saw {group.Requests} requests, {group.TooMany} x 429 = {group.TooManyShare:P1}; round trips {group.RoundTrips}{(group.Outcomes.Any(static o => o.Capped) ? $", CAPPED at {FetchProcess.Cap.TotalSeconds:0}s" : string.Empty)}");

    private void WriteTable(List<GroupRun> shared, List<GroupRun> local, List<FetchOutcome> soloOn, List<FetchOutcome> soloOff)
    {
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Medians of {shared.Count} alternated runs each."));
        output.WriteLine();
        output.WriteLine("| three processes, 1,000 URLs each, host 200/s burst 20 | shared through Redis | each alone |");
        output.WriteLine("|---|---:|---:|");
        Row("429s, % of all requests the host saw", g => g.TooManyShare * 100, "0.0'%'");
        Row("requests the host saw", g => g.Requests, "0");
        Row("aggregate throughput, ok/s", g => g.Throughput, "0");
        Row("throughput / 200/s", g => g.Throughput / HostRate, "0.00");
        Row("ok results (of 3,000)", g => g.Ok, "0");
        Row("Redis round trips per request", g => g.RoundTrips / (double)Math.Max(1, g.Attempts), "0.000");

        double on = Median(soloOn.Select(static s => s.Ok / s.Wall.TotalSeconds));
        double off = Median(soloOff.Select(static s => s.Ok / s.Wall.TotalSeconds));
        double ownOn = Median(soloOn.Select(static s => s.OwnRate));
        double ownOff = Median(soloOff.Select(static s => s.OwnRate));
        double trips = Median(soloOn.Select(static s => (s.RoundTrips ?? 0) / (double)Math.Max(1, s.Attempts)));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"One process, {SoloUrls:N0} URLs, no faults: wall (start-up and connecting included) Redis on {on:0}/s, off {off:0}/s, ratio {on / off:0.00}; the run's own rate on {ownOn:0}/s, off {ownOff:0}/s, ratio {ownOn / ownOff:0.00}; {trips:0.0000} Redis round trips per request."));

        void Row(string name, Func<GroupRun, double> value, string format)
            => output.WriteLine($"| {name} | {Median(shared.Select(value)).ToString(format, CultureInfo.InvariantCulture)} | {Median(local.Select(value)).ToString(format, CultureInfo.InvariantCulture)} |");
    }

    private void WriteOutageTable(List<OutageRun> shared, List<OutageRun> alone)
    {
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Outage, three processes of 200 URLs, 503 after 200 ms for the whole run, 20 s deadline; medians of {shared.Count} alternated runs each (worst in brackets)."));
        output.WriteLine();
        output.WriteLine("| outage seen by three processes | shared through Redis | each alone |");
        output.WriteLine("|---|---:|---:|");
        Row($"requests in flight at once after the opening ({OutageScenario.OpeningSeconds} s)", static r => r.MaxAfterOpening);
        Row("seconds after the opening with more than one in flight", static r => r.SecondsAboveOne);
        Row("seconds after the opening", static r => r.SecondsAfterOpening);
        Row("requests the host saw", static r => r.Requests);
        Row("in flight at once over the whole run", static r => r.MaxInFlight);

        void Row(string name, Func<OutageRun, double> value)
            => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(shared.Select(value)):0} ({shared.Select(value).DefaultIfEmpty().Max():0}) | {Median(alone.Select(value)):0} ({alone.Select(value).DefaultIfEmpty().Max():0}) |"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Finds the Release build of the CLI under the repository (its apphost, or its dll).</summary>
    private static string? FindCli()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reprise.slnx")))
            {
                var bin = Path.Combine(dir.FullName, "src", "Reprise.Cli", "bin", "Release", "net10.0");
                var host = Path.Combine(bin, OperatingSystem.IsWindows() ? "Reprise.Cli.exe" : "Reprise.Cli");
                var dll = Path.Combine(bin, "Reprise.Cli.dll");
                return File.Exists(host) ? host : File.Exists(dll) ? dll : null;
            }
        }

        return null;
    }

    /// <summary>Three processes' outcomes and what the host counted.</summary>
    private sealed record GroupRun(FetchOutcome[] Outcomes, long Requests, long TooMany)
    {
        public long Ok => Outcomes.Sum(static o => o.Ok);

        public long Attempts => Outcomes.Sum(static o => o.Attempts);

        public long RoundTrips => Outcomes.Sum(static o => o.RoundTrips ?? 0);

        public TimeSpan Wall => Outcomes.Max(static o => o.Wall);

        public double Throughput => Ok / Wall.TotalSeconds;

        public double TooManyShare => TooMany / (double)Math.Max(1, Requests);
    }
}
