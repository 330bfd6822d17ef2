using Reprise.Chaos;
using Reprise.Chaos.Configuration;

namespace Reprise.Cli.Tests.Hostile;

/// <summary>A hostile server and a second origin it redirects to; each test uses paths of its own.</summary>
public sealed class HostileServerFixture : IAsyncLifetime
{
    /// <summary>A status line that would set the window title and print a fake green success on a raw terminal.</summary>
    public const string EvilReason = "\u001b]0;pwned\u0007\u001b[32mall attempts OK\u001b[0m";

    public static readonly string[] Counted = ["Cookie", "X-Api-Key", "Authorization", "Accept"];

    public ChaosServer Server { get; private set; } = null!;

    public ChaosServer Other { get; private set; } = null!;

    public string Url(string path) => Server.GetUri(path).AbsoluteUri;

    public async Task InitializeAsync()
    {
        Other = await ChaosServer.StartAsync(new ChaosHostOptions { CountHeaders = Counted, Routes = { new ChaosRouteOptions { BodySize = 4 } } });
        Server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            CountHeaders = Counted,
            Routes =
            {
                new ChaosRouteOptions { Path = "/ok", BodySize = 10 },
                new ChaosRouteOptions { Path = "/loop", Status = 302, Location = "/loop" },
                new ChaosRouteOptions { Path = "/chain", Status = 302, Location = "/chain/{n}", Key = ChaosKeyMode.Route },
                new ChaosRouteOptions { Path = "/away", Status = 302, Location = Other.GetUri("/land").AbsoluteUri },
                new ChaosRouteOptions { Path = "/auth", BasicAuth = "user:pa55", BodySize = 3 },
                new ChaosRouteOptions { Path = "/evil", Raw = $"HTTP/1.1 404 {EvilReason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" },
                new ChaosRouteOptions { Path = "/negative", Raw = "HTTP/1.1 200 OK\r\nContent-Length: -5\r\nConnection: close\r\n\r\nhello" },
                new ChaosRouteOptions { Path = "/bomb", Gzip = true, BodySize = 8 * 1024 * 1024 },
                new ChaosRouteOptions { Path = "/cut", CutShort = true, BodySize = 100_000 },
                new ChaosRouteOptions { Path = "/same", BodySize = 50_000 },
                new ChaosRouteOptions { Path = "/trickle", BodySize = 2 * 1024 * 1024, TrickleBytesPerSecond = 1000 },
                new ChaosRouteOptions { Path = "/twice", Raw = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 3\r\nConnection: close\r\n\r\nhello" },
            },
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Other.DisposeAsync();
    }
}
