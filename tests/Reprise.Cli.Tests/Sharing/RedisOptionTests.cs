using System.Globalization;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Cli.Tests.TestSupport;
using StackExchange.Redis;

namespace Reprise.Cli.Tests.Sharing;

public class RedisOptionTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    // Test processes share two cores with builds: a call to the in-process server may take longer than the 50 ms default,
    // and connecting and the first calls longer than the 2 s default (the run would then start unshared).
    private const string SlowMachineTimeout = "2s";
    private const string SlowMachineConnectTimeout = "1m";

    [Fact]
    public async Task Fetch_Redis_SharesTheHostsPauseThroughRedis()
    {
        await using var server = await StartPausingHostAsync();
        using var listener = await PauseListener.StartAsync(garnet.Configuration, server.Port);
        using var temp = new TempDirectory();
        var urls = Enumerable.Range(0, 10).Select(i => server.GetUri($"/pause/{i}").AbsoluteUri).ToList();
        await File.WriteAllLinesAsync(temp.File("urls.txt"), urls);

        var result = await CliRun.RunAsync(
            "fetch", temp.File("urls.txt"), "--out", temp.File("results.jsonl"), "--redis", garnet.Configuration, "--redis-timeout", SlowMachineTimeout,
            "--redis-connect-timeout", SlowMachineConnectTimeout);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Equal(urls.Count, ResultsFile.CountLines(temp.File("results.jsonl")));
        Assert.Contains(result.StderrLines, static l => l.StartsWith("redis: ", StringComparison.Ordinal) && l.Contains(" round trip(s), ", StringComparison.Ordinal));
        await listener.AssertPauseSharedAsync(result.Stderr);
    }

    [Fact]
    public async Task Get_Redis_SharesTheHostsPauseThroughRedis()
    {
        await using var server = await StartPausingHostAsync();
        using var listener = await PauseListener.StartAsync(garnet.Configuration, server.Port);

        var result = await CliRun.RunAsync("get", server.GetUri("/pause/get").AbsoluteUri, "--redis", garnet.Configuration, "--redis-timeout", SlowMachineTimeout,
            "--redis-connect-timeout", SlowMachineConnectTimeout);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        await listener.AssertPauseSharedAsync(result.Stderr);
    }

    [Theory]
    [InlineData("fetch")]
    [InlineData("get")]
    public async Task Run_RedisUnreachable_GoesOnLocallyAndSaysSoOnce(string command)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { Path = "/", Sequence = "503,200" } } });
        using var temp = new TempDirectory();
        var urls = Enumerable.Range(0, 20).Select(i => server.GetUri($"/down/{i}").AbsoluteUri).ToList();
        await File.WriteAllLinesAsync(temp.File("urls.txt"), urls);
        string[] args = command == "fetch"
            ? ["fetch", temp.File("urls.txt"), "--out", temp.File("results.jsonl")]
            : ["get", urls[0], "-o", temp.File("body")];

        // Port 1 on the loopback: nothing listens, the connection is refused.
        var result = await CliRun.RunAsync([.. args, "--redis", "127.0.0.1:1"]);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        if (command == "fetch")
        {
            Assert.Equal(urls.Count, ResultsFile.CountLines(temp.File("results.jsonl")));
        }

        var line = Assert.Single(result.StderrLines, static l => l.StartsWith("reprise: redis:", StringComparison.Ordinal));
        Assert.StartsWith("reprise: redis: cannot reach 127.0.0.1:1 within 2s (--redis-connect-timeout);", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fetch")]
    [InlineData("get")]
    public async Task Run_RedisSilentPastTheConnectTimeout_StartsLocallyAndSaysSoOnce(string command)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { Path = "/", Sequence = "200" } } });
        // Accepts connections and never answers: the client's handshake cannot finish.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var redis = $"127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}";
        using var temp = new TempDirectory();
        var urls = Enumerable.Range(0, 5).Select(i => server.GetUri($"/silent/{i}").AbsoluteUri).ToList();
        await File.WriteAllLinesAsync(temp.File("urls.txt"), urls);
        string[] args = command == "fetch"
            ? ["fetch", temp.File("urls.txt"), "--out", temp.File("results.jsonl")]
            : ["get", urls[0], "-o", temp.File("body")];

        var result = await CliRun.RunAsync([.. args, "--redis", redis, "--redis-connect-timeout", "300ms"]);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        if (command == "fetch")
        {
            Assert.Equal(urls.Count, ResultsFile.CountLines(temp.File("results.jsonl")));
        }

        var line = Assert.Single(result.StderrLines, static l => l.StartsWith("reprise: redis:", StringComparison.Ordinal));
        Assert.StartsWith($"reprise: redis: cannot reach {redis} within 300ms (--redis-connect-timeout);", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fetch urls.txt --redis ,", "--redis: ',' names no server")]
    [InlineData("get http://127.0.0.1:1/ --redis nosuchoption=1", "--redis: ")]
    [InlineData("get http://127.0.0.1:1/ --redis 127.0.0.1:1 --redis-timeout 20s", "--redis-timeout must be from 1ms to 10s; it was '20s'.")]
    [InlineData("fetch urls.txt --redis 127.0.0.1:1 --redis-timeout 0.0001", "--redis-timeout must be from 1ms to 10s; it was '0.0001'.")]
    [InlineData("fetch urls.txt --redis 127.0.0.1:1 --redis-connect-timeout 2m", "--redis-connect-timeout must be from 1ms to 1m; it was '2m'.")]
    [InlineData("get http://127.0.0.1:1/ --redis 127.0.0.1:1 --redis-connect-timeout soon", "--redis-connect-timeout: ")]
    public async Task Run_BadRedisValue_FailsAtStartNamingTheOption(string commandLine, string expected)
    {
        var result = await CliRun.RunAsync(commandLine.Split(' '));

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    private static Task<ChaosServer> StartPausingHostAsync() => ChaosServer.StartAsync(new ChaosHostOptions
    {
        Routes =
        {
            // Down for every URL, each told to wait 1 s: retries sent after their own wait are refused again, which is
            // the host's trouble (an outage, not each URL's own wait), so the host is paused, and the run shares it.
            new ChaosRouteOptions
            {
                Path = "/pause",
                Outage = new ChaosOutageOptions { DurationMs = 2500, RetryAfterSeconds = 1 },
            },
        },
    });
}
