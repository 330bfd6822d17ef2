using System.Globalization;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;

namespace Reprise.Cli.Demo;

/// <summary>
/// The realistic mix of <c>reprise demo</c> (and of <c>reprise serve</c> without a config): a healthy host that
/// also answers 404 for missing items, a flaky host, a rate-limited host, a host that starts in an outage, and a
/// slow host. Each host is its own port, so Reprise sees five hosts.
/// </summary>
internal static class DemoScenario
{
    public const string Healthy = "healthy";
    public const string Flaky = "flaky";
    public const string RateLimited = "ratelimited";
    public const string Outage = "outage";
    public const string Slow = "slow";

    /// <summary>Gets what each host does, for the demo's introduction.</summary>
    public static IReadOnlyList<(string Host, string What)> Descriptions { get; } =
    [
        (Healthy, "answers at once; /missing/* is 404 (final, never retried)"),
        (Flaky, "30% of items fail once with 503, then succeed"),
        (RateLimited, "150 requests/s, burst 30; beyond that 429 with Retry-After"),
        (Outage, "503 with Retry-After: 2 for its first 3 seconds"),
        (Slow, "every answer takes 100-600 ms"),
    ];

    public static ChaosOptions CreateOptions() => new()
    {
        Hosts =
        {
            new ChaosHostOptions
            {
                Name = Healthy,
                Routes =
                {
                    new ChaosRouteOptions { Path = "/items", BodySize = 2048, LatencyMs = 1, LatencyMaxMs = 10, Seed = 1 },
                    new ChaosRouteOptions { Path = "/missing", Status = 404, BodySize = 64 },
                },
            },
            new ChaosHostOptions
            {
                Name = Flaky,
                Routes =
                {
                    // 30% of the items fail their first call with 503, the same ones in every run.
                    new ChaosRouteOptions { Path = "/items", FailingKeyFraction = 0.3, FailingKeyAttempts = 1, FailureStatus = 503, BodySize = 1024, Seed = 7 },
                },
            },
            new ChaosHostOptions
            {
                Name = RateLimited,
                RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = 150, Burst = 30 },
                Routes = { new ChaosRouteOptions { Path = "/items", BodySize = 512 } },
            },
            new ChaosHostOptions
            {
                Name = Outage,
                Outage = new ChaosOutageOptions { DurationMs = 3000, Start = OutageStart.FirstRequest, RetryAfterSeconds = 2 },
                Routes = { new ChaosRouteOptions { Path = "/items", BodySize = 512 } },
            },
            new ChaosHostOptions
            {
                Name = Slow,
                Routes = { new ChaosRouteOptions { Path = "/items", LatencyMs = 100, LatencyMaxMs = 600, BodySize = 4096, Seed = 3 } },
            },
        },
    };

    /// <summary>The URLs of the demo, interleaved across hosts the way a real crawl list is.</summary>
    public static IEnumerable<string> CreateUrls(ChaosServer server, int count)
    {
        // Shares of the list: healthy 40%, flaky 20%, rate-limited 17%, outage 10%, slow 10%, missing 3%.
        (string Host, string Path, int Weight)[] mix =
        [
            (Healthy, "/items", 40), (Flaky, "/items", 20), (RateLimited, "/items", 17),
            (Outage, "/items", 10), (Slow, "/items", 10), (Healthy, "/missing", 3),
        ];
        var total = mix.Sum(static m => m.Weight);
        var next = new int[mix.Length];
        for (var i = 0; i < count; i++)
        {
            // Weighted round robin: deterministic, and every host is spread over the whole list.
            var slot = i % total;
            var pick = 0;
            for (var acc = mix[0].Weight; slot >= acc; acc += mix[++pick].Weight)
            {
            }

            var (host, path, _) = mix[pick];
            yield return server.Hosts[host].GetUri(string.Create(CultureInfo.InvariantCulture, $"{path}/{next[pick]++}")).AbsoluteUri;
        }
    }
}
