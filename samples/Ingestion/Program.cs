// Ingests a list of URLs through one RepriseHandler: requests to one host share its pause, retry budget, circuit and
// adaptive concurrency limit, whichever worker sends them.
//
// Usage: dotnet run --project samples/Ingestion [urls.txt]
// Without a file it starts three stand-in hosts (Reprise.Chaos): a healthy one, a flaky one, a rate-limited one.
//
// The bulk engine (Reprise.Bulk) is built for exactly this job (a lazy input, one result per URL, retries parked
// in a delay queue instead of holding a worker); switch this sample to it once it has landed on main.
using System.Collections.Concurrent;
using System.Diagnostics;
using Reprise;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Hosts;
using Reprise.Retry;

await using var standIn = args.Length == 0 ? await StartStandInsAsync() : null;
var urls = args.Length > 0
    ? File.ReadLines(args[0]).Where(line => !string.IsNullOrWhiteSpace(line)).Select(line => new Uri(line.Trim()))
    : standIn!.Hosts.Values.SelectMany(host => Enumerable.Range(1, 200).Select(i => host.GetUri($"/items/{i}")));

var hosts = new HostRegistry(new HostCoordinationOptions { MaxConcurrency = 16 });
var options = new RepriseOptions
{
    MaxAttempts = 5,
    BaseDelay = TimeSpan.FromMilliseconds(100),
    MaxDelay = TimeSpan.FromSeconds(2),
    Deadline = TimeSpan.FromSeconds(30),
};
using var client = new HttpClient(new RepriseHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }, options, hosts))
{
    Timeout = Timeout.InfiniteTimeSpan, // Reprise's Deadline is the time limit.
};

var outcomes = new ConcurrentDictionary<string, int>();
long attempts = 0;
var clock = Stopwatch.StartNew();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

await Parallel.ForEachAsync(urls, new ParallelOptions { MaxDegreeOfParallelism = 48, CancellationToken = cancel.Token }, async (url, token) =>
{
    string outcome;
    try
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, token);
        Interlocked.Add(ref attempts, response.GetRetryHistory()!.Attempts.Count);
        outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
    catch (RepriseRequestException ex)
    {
        Interlocked.Add(ref attempts, ex.History.Attempts.Count);
        outcome = ex.StopReason.ToString();
    }

    outcomes.AddOrUpdate(outcome, 1, static (_, n) => n + 1);
});

Console.WriteLine($"{outcomes.Values.Sum()} URLs, {attempts} attempts in {clock.Elapsed.TotalSeconds:0.0} s");
foreach (var (outcome, count) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
{
    Console.WriteLine($"  {outcome,-22} {count}");
}

foreach (var host in hosts.GetSnapshots().OrderBy(h => h.Host, StringComparer.Ordinal))
{
    Console.WriteLine($"  {host.Host}: circuit {host.CircuitState}, limit {host.ConcurrencyLimit}, rate {host.Rate?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}/s");
}

static Task<ChaosServer> StartStandInsAsync() => ChaosServer.StartAsync(new ChaosOptions
{
    Hosts =
    {
        new ChaosHostOptions { Name = "healthy", Routes = { new ChaosRouteOptions { BodySize = 256 } } },
        new ChaosHostOptions
        {
            Name = "flaky",
            Routes = { new ChaosRouteOptions { FailingKeyFraction = 0.4, FailingKeyAttempts = 2, Seed = 7, BodySize = 256 } },
        },
        new ChaosHostOptions
        {
            Name = "limited",
            RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = 100, Burst = 20 },
            Routes = { new ChaosRouteOptions { BodySize = 256 } },
        },
    },
});
