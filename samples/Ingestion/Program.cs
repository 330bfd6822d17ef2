// Ingests a list of URLs with the bulk engine: the input is read lazily, every URL yields one result, a request
// waiting for its retry holds no worker, and requests to one host share its pause, retry budget, circuit and
// adaptive concurrency limit.
//
// Usage: dotnet run --project samples/Ingestion [urls.txt]
// Without a file it starts three stand-in hosts (Reprise.Chaos): a healthy one, a flaky one, a rate-limited one, and
// names each one's role next to its address at the end.
using System.Globalization;
using Reprise;
using Reprise.Bulk;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Hosts;

await using var standIn = args.Length == 0 ? await StartStandInsAsync() : null;
var urls = args.Length > 0
    ? File.ReadLinesAsync(args[0]).Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#'))
    : standIn!.Hosts.Values.SelectMany(host => Enumerable.Range(1, 200).Select(i => host.GetUri($"/items/{i}").ToString())).ToAsyncEnumerable();

using var engine = new BulkEngine(
    new BulkOptions
    {
        MaxConcurrency = 48,
        Retry = new RepriseOptions
        {
            MaxAttempts = 5,
            BaseDelay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            Deadline = TimeSpan.FromSeconds(30),
        },
    },
    new HostRegistry(new HostCoordinationOptions { MaxConcurrency = 16 }));

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel(); // The run stops sending and still yields a result for every URL it read.
};

var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
long attempts = 0;
await foreach (var result in engine.RunAsync(urls.Select(url => new BulkRequest(url)), cancel.Token))
{
    attempts += result.Attempts;
    var outcome = result.StatusCode is { } status ? $"{result.Outcome} {(int)status}" : $"{result.Outcome} ({result.StopReason})";
    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
}

Console.WriteLine($"{engine.GetProgress().Done} URLs, {attempts} attempts");
foreach (var (outcome, count) in outcomes)
{
    Console.WriteLine($"  {outcome,-28} {count}");
}

// The stand-ins' roles by address (scheme://host:port, as the host registry names hosts).
var roles = standIn?.Hosts.ToDictionary(h => $"{h.Value.GetUri("/").Scheme}://{h.Value.GetUri("/").Host}:{h.Value.GetUri("/").Port}", h => h.Key)
    ?? new Dictionary<string, string>();
foreach (var host in engine.Hosts.GetSnapshots().OrderBy(h => h.Host, StringComparer.Ordinal))
{
    var role = roles.TryGetValue(host.Host, out var name) ? $" ({name})" : string.Empty;
    Console.WriteLine($"  {host.Host}{role}: circuit {host.CircuitState}, limit {host.ConcurrencyLimit}, rate {host.Rate?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"}/s");
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
