using Reprise.Bench.Clients;
using Reprise.Chaos.Configuration;

namespace Reprise.Scenarios.Scenarios;

/// <summary>
/// The rows of the no-regret table (issue 12): servers whose trouble is per URL, where host coordination must cost
/// nothing against the same clients with coordination off, and servers whose trouble is host-wide, where it should
/// gain. Each row has the retry settings of the table: <c>reprise fetch</c>'s defaults (4 attempts, 1 s base
/// delay, attempt timeout 30 s, deadline 90 s) unless the row says otherwise.
/// </summary>
internal static class NoRegretCatalog
{
    public const string PerUrlRetryAfter = "per-url-retry-after";
    public const string PerUrlRetryAfterDate = "per-url-retry-after-date";
    public const string FailingFifthMixed = "failing-fifth-mixed";
    public const string FailingFifth = "failing-fifth";
    public const string AllFirstHang = "all-first-hang";
    public const string TwoPercentHang = "two-percent-hang";
    public const string OutageRetryAfter = "outage-retry-after";
    public const string Overloaded = "overloaded";
    public const string NeverAnswers = "never-answers";
    public const string FetchFast = "fetch-fast";

    private const int BodySize = 128;

    /// <summary>Gets the rows of the no-regret table, in table order: the existing rows it repeats, then its own.</summary>
    public static IReadOnlyList<string> TableRows { get; } =
    [
        ScenarioCatalog.NoFaults, ScenarioCatalog.Flaky, ScenarioCatalog.RateLimited, ScenarioCatalog.Outage,
        PerUrlRetryAfter, PerUrlRetryAfterDate, FailingFifthMixed, FailingFifth, AllFirstHang, TwoPercentHang,
        OutageRetryAfter, Overloaded, NeverAnswers, FetchFast,
    ];

    public static IEnumerable<ScenarioDefinition> Create(RunProfile profile)
    {
        var quick = profile.Quick;
        var cap = quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(45);
        var defaults = quick ? QuickDefaults : new RetrySettings();

        // The quick form (CI) runs the bulk engine with coordination on and off only: a smoke test of every row.
        IReadOnlyList<string> clients = quick ? [ClientNames.RepriseBulk, ClientNames.RepriseBulkOff] : ClientNames.NoRegret;
        yield return new ScenarioDefinition
        {
            Name = PerUrlRetryAfter,
            Title = "Per-URL Retry-After: every URL's first call gets 429 with `Retry-After: 1` (for that URL), then 200.",
            Host = Host(PerUrlRetryAfter, new ChaosRouteOptions { Path = "/", Sequence = "429,200", RetryAfter = new ChaosRetryAfterOptions { Seconds = 1, Statuses = { 429 } }, BodySize = BodySize }),
            UrlCount = quick ? 100 : 1_000,
            Retry = defaults,
            Cap = cap,
            Clients = clients,
        };
        yield return new ScenarioDefinition
        {
            Name = PerUrlRetryAfterDate,
            Title = "Per-URL Retry-After as an HTTP-date: every URL's first call gets 503 with a `Retry-After` date 2 s ahead, then 200.",
            Host = Host(PerUrlRetryAfterDate, new ChaosRouteOptions { Path = "/", Sequence = "503,200", RetryAfter = new ChaosRetryAfterOptions { Seconds = 2, Format = RetryAfterFormat.HttpDate, Statuses = { 503 } }, BodySize = BodySize }),
            UrlCount = quick ? 50 : 200,
            Retry = defaults,
            Cap = cap,
            Clients = clients,
        };
        yield return new ScenarioDefinition
        {
            Name = FailingFifthMixed,
            Title = "A fifth of the URLs always answer 503 (no Retry-After); the rest, like httpbin, 200, 404 or 200 after 1 s. Success: 200 or 404.",
            Host = Host(
                FailingFifthMixed,
                new ChaosRouteOptions { Path = "/fail", Status = 503, BodySize = BodySize },
                new ChaosRouteOptions { Path = "/ok", BodySize = BodySize },
                new ChaosRouteOptions { Path = "/missing", Status = 404, BodySize = BodySize },
                new ChaosRouteOptions { Path = "/delay", LatencyMs = 1_000, BodySize = BodySize }),
            UrlCount = quick ? 100 : 1_000,
            PathOf = static i => (i % 5) switch { 0 => "fail/", 1 => "missing/", 2 => "delay/", _ => "ok/" } + i,
            AlsoExpected = [404],
            Retry = defaults,
            Cap = cap,
            Clients = clients,
        };
        yield return new ScenarioDefinition
        {
            Name = FailingFifth,
            Title = "A fifth of the URLs, chosen by a seed, always answer 503 (no Retry-After); the rest 200 at once.",
            Host = Host(FailingFifth, new ChaosRouteOptions { Path = "/", FailingKeyFraction = 0.2, FailingKeyAttempts = int.MaxValue, Seed = 5, BodySize = BodySize }),
            UrlCount = quick ? 200 : 2_000,
            Retry = defaults,
            Cap = cap,
            Clients = clients,
        };
        yield return new ScenarioDefinition
        {
            Name = AllFirstHang,
            Title = $"Every URL's first call hangs, its retries answer at once; attempt timeout {(quick ? 1 : 5)} s.",
            Host = Host(AllFirstHang, new ChaosRouteOptions { Path = "/", HangFirst = 1, BodySize = BodySize }),
            UrlCount = quick ? 50 : 100,
            Retry = defaults with { AttemptTimeout = TimeSpan.FromSeconds(quick ? 1 : 5) },
            Cap = cap,
            Clients = clients,
        };
        yield return new ScenarioDefinition
        {
            Name = TwoPercentHang,
            Title = $"2% of the URLs hang their first call (attempt timeout {defaults.AttemptTimeout.TotalSeconds:0} s, the defaults); `reprise fetch` runs with its own defaults (`--per-host 16`).",
            Host = Host(TwoPercentHang, new ChaosRouteOptions { Path = "/", BodySize = BodySize }, new ChaosRouteOptions { Path = "/hang", HangFirst = 1, BodySize = BodySize }),
            UrlCount = quick ? 200 : 2_000,
            PathOf = static i => (i % 50 == 0 ? "hang/" : "items/") + i,
            Retry = defaults,
            Cap = quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(110),
            Clients = [.. clients, ClientNames.Fetch],
        };
        yield return new ScenarioDefinition
        {
            Name = OutageRetryAfter,
            Title = $"Outage with Retry-After: 503 with `Retry-After: 1` to everything for {(quick ? 1.5 : 5):0.#} s from the first request, then healthy.",
            Host = new ChaosHostOptions
            {
                Name = OutageRetryAfter,
                Outage = new ChaosOutageOptions { DurationMs = quick ? 1_500 : 5_000, RetryAfterSeconds = 1 },
                Routes = { new ChaosRouteOptions { Path = "/", BodySize = BodySize } },
            },
            UrlCount = quick ? 100 : 500,
            Retry = defaults,
            Cap = cap,
            Clients = clients,
        };
        yield return new ScenarioDefinition
        {
            Name = Overloaded,
            Title = "Overloaded host: 20 requests in service at once, 50 ms each; an arrival finding all busy gets 503 at once (no Retry-After). Floor: URLs x 50 ms / 20.",
            Host = new ChaosHostOptions
            {
                Name = Overloaded,
                Capacity = new ChaosCapacityOptions { Limit = 20, ServiceMs = 50 },
                Routes = { new ChaosRouteOptions { Path = "/", BodySize = BodySize } },
            },
            UrlCount = quick ? 200 : 2_000,
            Retry = defaults,
            Cap = cap,
            Clients = clients,
        };
        yield return new ScenarioDefinition
        {
            Name = NeverAnswers,
            Title = $"A host that never answers: every call hangs; attempt timeout {(quick ? 0.5 : 2):0.#} s, deadline {(quick ? 4 : 40)} s.",
            Host = Host(NeverAnswers, new ChaosRouteOptions { Path = "/", Hang = true }),
            UrlCount = quick ? 50 : 100,
            Retry = defaults with { AttemptTimeout = TimeSpan.FromSeconds(quick ? 0.5 : 2), Deadline = TimeSpan.FromSeconds(quick ? 4 : 40) },
            Cap = quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(60),
            Clients = clients,
        };
        yield return new ScenarioDefinition
        {
            Name = FetchFast,
            Title = $"Issue 11: the built `reprise fetch` with its defaults (`--concurrency 64 --per-host 16`) and with `--per-host 64`, {(quick ? 3_000 : 100_000):N0} URLs to one fast host.",
            Host = Host(FetchFast, new ChaosRouteOptions { Path = "/", BodySize = BodySize }),
            UrlCount = quick ? 3_000 : 100_000,
            Retry = defaults,
            Clients = [ClientNames.Fetch, ClientNames.FetchPerHost64],
        };
    }

    // The quick form keeps the rows' shapes with times small enough for CI.
    private static RetrySettings QuickDefaults { get; } = new() { AttemptTimeout = TimeSpan.FromSeconds(1), Deadline = TimeSpan.FromSeconds(3) };

    private static ChaosHostOptions Host(string name, params ChaosRouteOptions[] routes)
    {
        var host = new ChaosHostOptions { Name = name };
        foreach (var route in routes)
        {
            host.Routes.Add(route);
        }

        return host;
    }
}
