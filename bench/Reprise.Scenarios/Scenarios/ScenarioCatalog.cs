using Reprise.Chaos.Configuration;

namespace Reprise.Scenarios.Scenarios;

/// <summary>
/// Every scenario, in table order, with its full and quick sizes. Each has its own chaos host (own port, limits
/// and counters); the server is fully reset before each client's run, so every client meets the same host.
/// </summary>
internal static class ScenarioCatalog
{
    public const string NoFaults = "no-faults";
    public const string Flaky = "flaky";
    public const string RateLimited = "rate-limited";
    public const string RateLimitedLong = "rate-limited-long";
    public const string Outage = "outage";
    public const string HungFirst = "hung-first";
    public const string NotFound = "not-found";
    public const string Million = "million";

    // A small body, so that reading and dropping it is part of every request, as in real use.
    private const int BodySize = 128;

    public static IReadOnlyList<ScenarioDefinition> Create(RunProfile profile)
        => [.. Existing(profile), .. NoRegretCatalog.Create(profile)];

    // The quick form (CI) keeps the existing rows' clients as they were: coordination off runs in the full table.
    private static IReadOnlyList<string> WithOffUnlessQuick(RunProfile profile) => profile.Quick ? Retrying : RetryingWithOff;

    private static IReadOnlyList<ScenarioDefinition> Existing(RunProfile profile)
    {
        var quick = profile.Quick;
        var rate = quick ? 100 : 200;
        var outageMs = quick ? 1_500 : 5_000;
        return
        [
            new ScenarioDefinition
            {
                Name = NoFaults,
                Title = quick
                    ? "No faults: every URL answers 200 at once (throughput; the bare HttpClient is the reference; the naive loop gets 1,000)."
                    : "No faults: every URL answers 200 at once (throughput; the bare HttpClient is the reference). " +
                      "The naive loop, which starts every request at once, gets 20,000: 100,000 at once ran its process out of memory.",
                Host = new ChaosHostOptions { Name = NoFaults, Routes = { Ok("/") } },
                UrlCount = quick ? 3_000 : 100_000,
                NaiveUrlCount = quick ? 1_000 : 20_000,
                Clients = [ClientNames.Bare, .. WithOffUnlessQuick(profile)],
            },
            new ScenarioDefinition
            {
                Name = Flaky,
                Title = "Flaky: 40% of URLs answer 503 to their first request (half of the URLs) or first two (the other half).",
                Host = new ChaosHostOptions
                {
                    Name = Flaky,
                    Routes =
                    {
                        new ChaosRouteOptions { Path = "/once", FailingKeyFraction = 0.4, FailingKeyAttempts = 1, Seed = 11, BodySize = BodySize },
                        new ChaosRouteOptions { Path = "/twice", FailingKeyFraction = 0.4, FailingKeyAttempts = 2, Seed = 12, BodySize = BodySize },
                    },
                },
                UrlCount = quick ? 200 : 2_000,
                PathOf = static i => (i % 2 == 0 ? "once/" : "twice/") + i,
                Clients = WithOffUnlessQuick(profile),
            },
            new ScenarioDefinition
            {
                Name = RateLimited,
                Title = $"Rate-limited: the host allows {rate} requests/s (token bucket, burst {rate / 10}); beyond it, 429 with Retry-After.",
                Host = RateLimitedHost(RateLimited, rate),
                UrlCount = quick ? 200 : 3_000,
                Clients = WithOffUnlessQuick(profile),
            },
            new ScenarioDefinition
            {
                // Long enough that the first seconds (slow start, the first pauses) weigh little: the steady state.
                Name = RateLimitedLong,
                Title = $"Rate-limited, long: the same host limit ({rate} requests/s, burst {rate / 10}) for {(quick ? 300 : 10_000):N0} URLs.",
                Host = RateLimitedHost(RateLimitedLong, rate),
                UrlCount = quick ? 300 : 10_000,
                Clients = Retrying,
            },
            new ScenarioDefinition
            {
                Name = Outage,
                Title = $"Outage: the host answers 503 (no Retry-After) for {outageMs / 1000.0:0.#} s from its first request, then recovers.",
                Host = new ChaosHostOptions
                {
                    Name = Outage,
                    Outage = new ChaosOutageOptions { DurationMs = outageMs, Start = OutageStart.FirstRequest },
                    Routes = { Ok("/") },
                },
                UrlCount = quick ? 200 : 2_000,
                Clients = WithOffUnlessQuick(profile),
            },
            new ScenarioDefinition
            {
                Name = HungFirst,
                Title = $"Hung first attempt: 1 URL in 10 gets no answer to its first request (attempt timeout {profile.Retry.AttemptTimeout.TotalSeconds:0.#} s where the client has one).",
                Host = new ChaosHostOptions
                {
                    Name = HungFirst,
                    Routes = { Ok("/"), new ChaosRouteOptions { Path = "/hang", HangFirst = 1, BodySize = BodySize } },
                },
                UrlCount = quick ? 200 : 2_000,
                PathOf = static i => (i % 10 == 0 ? "hang/" : "items/") + i,
                Clients = Retrying,
            },
            new ScenarioDefinition
            {
                Name = NotFound,
                Title = "Not found: every URL answers 404, which must be sent once.",
                Host = new ChaosHostOptions { Name = NotFound, Routes = { new ChaosRouteOptions { Path = "/", Status = 404, BodySize = BodySize } } },
                UrlCount = quick ? 300 : 5_000,
                ExpectedStatus = 404,
                Clients = Retrying,
            },
            new ScenarioDefinition
            {
                Name = Million,
                Title = quick
                    ? "Streamed (quick: 5,000 URLs; the naive loop 1,000): memory while URLs flow through."
                    : "One million URLs streamed through (the naive loop, which starts every request at once, gets 5,000): memory.",
                Host = new ChaosHostOptions { Name = Million, Routes = { Ok("/") } },
                UrlCount = quick ? 5_000 : 1_000_000,
                NaiveUrlCount = quick ? 1_000 : 5_000,
                Clients = Original,
            },
        ];
    }

    // The bare HttpClient (no retries) is the reference where nothing fails; in the fault scenarios it would only
    // show the faults themselves.
    private static IReadOnlyList<string> Retrying { get; } =
        [ClientNames.RepriseBulk, ClientNames.RepriseHandler, ClientNames.Standard, ClientNames.Polly, ClientNames.Naive];

    // The rows the no-regret table repeats also run Reprise with host coordination off.
    private static IReadOnlyList<string> RetryingWithOff { get; } =
        [ClientNames.RepriseBulk, ClientNames.RepriseHandler, ClientNames.RepriseBulkOff, ClientNames.RepriseHandlerOff, ClientNames.Standard, ClientNames.Polly, ClientNames.Naive];

    private static IReadOnlyList<string> Original { get; } = [ClientNames.Bare, .. Retrying];

    private static ChaosRouteOptions Ok(string path) => new() { Path = path, BodySize = BodySize };

    /// <summary>A host limited to <paramref name="rate"/> requests/s with a burst of a tenth of a second's worth.</summary>
    private static ChaosHostOptions RateLimitedHost(string name, int rate) => new()
    {
        Name = name,
        RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = rate, Burst = rate / 10 },
        Routes = { Ok("/") },
    };
}
