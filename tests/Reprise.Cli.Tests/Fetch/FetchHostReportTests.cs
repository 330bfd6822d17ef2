using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Fetch;

/// <summary>What the client did to each host, as the progress lines and the summary say it.</summary>
public class FetchHostReportTests(FetchServerFixture fixture) : IClassFixture<FetchServerFixture>
{
    [Fact]
    public async Task Fetch_StderrNotATerminal_WritesProgressLinesWhileItRuns()
    {
        var error = new WatchedWriter();
        using var interrupt = new CancellationTokenSource();
        var stdin = new EndlessInput($"{fixture.Url("/progress/1")}\n{fixture.Url("/progress/2")}\n");

        var run = CliRun.RunAsync(["fetch", "-", "--progress-interval", "100ms"], cancellationToken: interrupt.Token, input: () => stdin, error: error);
        await error.WaitForAsync(static t => t.Contains("2 done (2 ok, 0 failed)", StringComparison.Ordinal), "a progress line counts both URLs");
        await interrupt.CancelAsync();
        var result = await run;

        Assert.Equal(ExitCode.Interrupted, result.ExitCode);
        Assert.Matches(@"reprise: \d+(ms|s): 2 done \(2 ok, 0 failed\), 0 in flight, waiting 0 for a retry and 0 for their host, \d+/s", error.Text);
    }

    [Fact]
    public async Task Fetch_HostWhoseBreakerOpens_SummarySaysSoInReprisesWords()
    {
        await using var down = await DownServerAsync();
        var stdin = string.Join('\n', Enumerable.Range(0, 30).Select(i => down.GetUri($"/item/{i}").AbsoluteUri)) + "\n";

        var result = await CliRun.RunAsync(["fetch", "-", "--max-attempts", "2", "--deadline", "1500ms", "--per-host", "4"], stdin);

        Assert.Equal(ExitCode.SomeFailed, result.ExitCode);
        var hostLine = Assert.Single(result.StderrLines, static l => l.StartsWith("host http", StringComparison.Ordinal));
        Assert.Matches(@"; circuit breaker opened once, \d+(ms|\.?\d*s) open in all", hostLine);
        Assert.DoesNotContain("asked to wait", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_NoCircuitBreaker_NeverOpensIt()
    {
        await using var down = await DownServerAsync();
        var stdin = string.Join('\n', Enumerable.Range(0, 30).Select(i => down.GetUri($"/item/{i}").AbsoluteUri)) + "\n";

        var result = await CliRun.RunAsync(["fetch", "-", "--max-attempts", "2", "--deadline", "1500ms", "--no-circuit-breaker"], stdin);

        Assert.Equal(ExitCode.SomeFailed, result.ExitCode);
        Assert.DoesNotContain("circuit breaker", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(30, ResultsFile.Parse(result.StdoutText).Count);
    }

    [Fact]
    public async Task Fetch_NoCoordination_NeitherPausesNorOpensTheBreaker()
    {
        await using var down = await DownServerAsync();
        var stdin = string.Join('\n', Enumerable.Range(0, 30).Select(i => down.GetUri($"/item/{i}").AbsoluteUri)) + "\n";

        var result = await CliRun.RunAsync(["fetch", "-", "--max-attempts", "2", "--deadline", "1500ms", "--no-coordination"], stdin);

        Assert.DoesNotContain("circuit breaker", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(60, down.Stats.Routes["/item"].Requests);
    }

    [Fact]
    public async Task Fetch_ManyHosts_SummaryFoldsTheQuietOnesAndTheHostTableHasThemAll()
    {
        using var temp = new TempDirectory();
        var servers = new List<ChaosServer>();
        try
        {
            for (var i = 0; i < 15; i++)
            {
                servers.Add(await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { Path = "/", BodySize = 1 } } }));
            }

            var stdin = string.Join('\n', servers.Select(static s => s.GetUri("/x").AbsoluteUri).Append(fixture.Url("/missing/fold"))) + "\n";

            var result = await CliRun.RunAsync(["fetch", "-", "--host-table", temp.File("hosts.tsv")], stdin);

            var hostLines = result.StderrLines.Where(static l => l.StartsWith("host http", StringComparison.Ordinal)).ToList();
            Assert.Equal(12, hostLines.Count);
            Assert.Contains(hostLines, l => l.StartsWith($"host {fixture.Server.GetUri("/").GetLeftPart(UriPartial.Authority)}: 1 request(s), 0 ok, 1 failed", StringComparison.Ordinal));
            Assert.Contains("and 4 other host(s): 4 request(s), 4 ok, 0 failed, 4 attempt(s)", result.StderrLines);
            var table = await File.ReadAllLinesAsync(temp.File("hosts.tsv"));
            Assert.Equal("host\trequests\tok\tfailed\tattempts\twhat the client did", table[0]);
            Assert.Equal(17, table.Length);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Fetch_PerHostFull_SummarySaysItWasTheBindingLimit()
    {
        await using var slow = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { Path = "/", LatencyMs = 100 } } });
        var stdin = string.Join('\n', Enumerable.Range(0, 24).Select(i => slow.GetUri($"/{i}").AbsoluteUri)) + "\n";

        var result = await CliRun.RunAsync(["fetch", "-", "--per-host", "2"], stdin);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.EndsWith("; --per-host 2 was the binding limit", Assert.Single(result.StderrLines, static l => l.StartsWith("host http", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private static Task<ChaosServer> DownServerAsync() => ChaosServer.StartAsync(new ChaosHostOptions
    {
        // 503 without Retry-After: failures the breaker counts (a Retry-After would pause the host instead).
        Routes = { new ChaosRouteOptions { Path = "/item", Status = 503 } },
    });
}
