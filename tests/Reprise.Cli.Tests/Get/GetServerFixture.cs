using Reprise.Chaos;
using Reprise.Chaos.Configuration;

namespace Reprise.Cli.Tests.Get;

/// <summary>One chaos host for the <c>get</c> tests; each test uses keys (paths) of its own.</summary>
public sealed class GetServerFixture : IAsyncLifetime
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
                new ChaosRouteOptions { Path = "/ok", BodySize = 300 },
                new ChaosRouteOptions { Path = "/flaky", Sequence = "503,503,200", RetryAfter = immediate, BodySize = 10 },
                new ChaosRouteOptions { Path = "/down", Status = 503, RetryAfter = immediate, BodySize = 10 },
                new ChaosRouteOptions { Path = "/missing", Status = 404, BodySize = 9 },
                new ChaosRouteOptions { Path = "/hang", Hang = true },
                new ChaosRouteOptions { Path = "/moved", Status = 302, Location = "/ok/moved?token=s3cret" },
                new ChaosRouteOptions { Path = "/twice", Status = 301, Location = "/moved/1" },
            },
        });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
