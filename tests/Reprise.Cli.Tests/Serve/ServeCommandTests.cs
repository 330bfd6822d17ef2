using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Serve;

public class ServeCommandTests
{
    [Fact]
    public async Task Serve_Config_PrintsEachHostAndServesUntilCancelled()
    {
        using var temp = new TempDirectory();
        var config = temp.File("chaos.json");
        await File.WriteAllTextAsync(config, """
            { "hosts": [
                { "name": "one", "routes": [ { "path": "/teapot", "status": 418 } ] },
                { "name": "two", "routes": [ { "path": "/" } ] }
            ] }
            """);
        var output = new WatchedStream();
        using var stop = new CancellationTokenSource();

        var run = CliRun.RunAsync(["serve", "--config", config], cancellationToken: stop.Token, output: output);
        var text = await output.WaitForAsync(static t => t.Split('\n').Length > 2);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var one = lines[0].Split('\t');
        Assert.Equal("one", one[0]);
        Assert.Equal("/teapot", one[2]);
        Assert.StartsWith("two\thttp://127.0.0.1:", lines[1], StringComparison.Ordinal);

        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(new Uri(one[1]), "/teapot/1"));
        Assert.Equal(418, (int)response.StatusCode);

        await stop.CancelAsync();
        var result = await run;
        Assert.Equal(ExitCode.Success, result.ExitCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(new Uri(one[1]), "/teapot/2")));
    }

    [Fact]
    public async Task Serve_TheReadmesSampleConfig_StartsItsFiveHosts()
    {
        var config = Path.Join(RepositoryRoot(), "samples", "chaos.json");
        var output = new WatchedStream();
        using var stop = new CancellationTokenSource();

        var run = CliRun.RunAsync(["serve", "--config", config], cancellationToken: stop.Token, output: output);
        var text = await output.WaitForAsync(static t => t.Split('\n').Length > 5);
        await stop.CancelAsync();
        var result = await run;

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Equal(
            ["healthy", "flaky", "ratelimited", "outage", "slow"],
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => l.Split('\t')[0]));
    }

    [Fact]
    public async Task Serve_InvalidConfig_ExitsWithUsageErrorNamingTheField()
    {
        using var temp = new TempDirectory();
        var config = temp.File("chaos.json");
        await File.WriteAllTextAsync(config, """{ "hosts": [ { "routes": [ { "failureProbability": 1.5 } ] } ] }""");

        var result = await CliRun.RunAsync("serve", "--config", config);

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.Equal(
            "reprise: --config: hosts[0].routes[0].failureProbability must be between 0 and 1; it was 1.5.",
            Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task Serve_MissingConfig_ExitsWithUsageError()
    {
        var result = await CliRun.RunAsync("serve", "--config", "/nonexistent/chaos.json");

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.StartsWith("reprise: --config: ", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Join(directory.FullName, "Reprise.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
