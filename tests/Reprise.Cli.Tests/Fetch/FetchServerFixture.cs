using Reprise.Chaos;
using Reprise.Chaos.Configuration;

namespace Reprise.Cli.Tests.Fetch;

/// <summary>A chaos host for the <c>fetch</c> tests; each test uses keys (paths) of its own.</summary>
public sealed class FetchServerFixture : IAsyncLifetime
{
    public ChaosServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Retry-After: 0 on the failures makes retries immediate, so no test waits for a backoff.
        var immediate = new ChaosRetryAfterOptions { Seconds = 0, Statuses = { 503 } };
        Server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes =
            {
                new ChaosRouteOptions { Path = "/", BodySize = 100 },
                new ChaosRouteOptions { Path = "/flaky", Sequence = "503,200", RetryAfter = immediate, BodySize = 10 },
                new ChaosRouteOptions { Path = "/down", Status = 503, RetryAfter = immediate },
                new ChaosRouteOptions { Path = "/missing", Status = 404 },
                new ChaosRouteOptions { Path = "/slowish", LatencyMs = 20, BodySize = 10 },
            },
        });
    }

    public string Url(string path) => Server.GetUri(path).AbsoluteUri;

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
