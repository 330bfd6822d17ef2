using System.Text.Json;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Fetch;

public class FetchCommandTests(FetchServerFixture fixture) : IClassFixture<FetchServerFixture>
{
    [Fact]
    public async Task Fetch_MixedFile_WritesOneLinePerUrlWithTheRightOkAndAttempts()
    {
        using var temp = new TempDirectory();
        var expected = new Dictionary<string, (bool Ok, int? Status, int Attempts)>();
        var input = new List<string> { "# a mixed list", string.Empty };
        for (var i = 0; i < 5; i++)
        {
            Add(fixture.Url($"/mixed/ok/{i}"), (true, 200, 1));
            Add(fixture.Url($"/flaky/mixed/{i}"), (true, 200, 2));
        }

        Add(fixture.Url("/missing/mixed/1"), (false, 404, 1));
        Add(fixture.Url("/missing/mixed/2"), (false, 404, 1));
        Add(fixture.Url("/down/mixed/1"), (false, 503, 3));
        Add("not-a-url", (false, null, 0));
        Add("ftp://example.com/file", (false, null, 0));
        input.Add("   ");
        await File.WriteAllLinesAsync(temp.File("urls.txt"), input);

        var result = await CliRun.RunAsync("fetch", temp.File("urls.txt"), "--out", temp.File("results.jsonl"), "--max-attempts", "3");

        Assert.Equal(ExitCode.SomeFailed, result.ExitCode);
        Assert.Empty(result.Stdout);
        var lines = ResultsFile.Read(temp.File("results.jsonl"));
        Assert.Equal(expected.Count, lines.Count);
        Assert.Equal(expected.Keys.Order(), lines.Select(static l => l.Url()).Order());
        foreach (var line in lines)
        {
            var (ok, status, attempts) = expected[line.Url()];
            Assert.Equal((ok, status, attempts), (line.Ok(), line.Status(), line.Attempts()));
            Assert.Equal(ok, line.GetProperty("error").ValueKind == JsonValueKind.Null);
            Assert.Equal(JsonValueKind.Null, line.GetProperty("body_path").ValueKind);
        }

        Assert.Equal("invalid_input", lines.Single(static l => l.Url() == "not-a-url").GetProperty("outcome").GetString());
        Assert.Contains("10 succeeded, 3 failed, 2 invalid", result.Stderr, StringComparison.Ordinal);

        void Add(string url, (bool, int?, int) outcome)
        {
            expected.Add(url, outcome);
            input.Add(url);
        }
    }

    [Fact]
    public async Task Fetch_Stdin_ReadsUrlsAndIdsAndWritesResultsToStdout()
    {
        var stdin = $"{fixture.Url("/stdin/1")} first\n{fixture.Url("/stdin/2")}\n";

        var result = await CliRun.RunAsync(["fetch", "-"], stdin);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        var lines = ResultsFile.Parse(result.StdoutText);
        Assert.Equal(2, lines.Count);
        var first = lines.Single(l => l.Url() == fixture.Url("/stdin/1"));
        Assert.Equal("first", first.GetProperty("id").GetString());
        Assert.Equal(100, first.GetProperty("bytes").GetInt64());
        Assert.False(lines.Single(l => l.Url() == fixture.Url("/stdin/2")).TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Fetch_Bodies_NamesCannotEscapeTheDirectory()
    {
        using var temp = new TempDirectory();
        var bodies = Path.Join(temp.Path, "bodies");
        var port = fixture.Server.Port;
        string[] urls =
        [
            $"http://127.0.0.1:{port}/../../../../../../tmp/escape",
            $"http://127.0.0.1:{port}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            $"http://127.0.0.1:{port}/..%2f..%2f..%2fescape",
            $"http://127.0.0.1:{port}/a/b/c/",
            $"http://127.0.0.1:{port}/body?name=../../x",
        ];
        await File.WriteAllLinesAsync(temp.File("urls.txt"), urls);

        var result = await CliRun.RunAsync("fetch", temp.File("urls.txt"), "--out", temp.File("results.jsonl"), "--bodies", bodies);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        var lines = ResultsFile.Read(temp.File("results.jsonl"));
        Assert.Equal(urls.Length, lines.Count);
        foreach (var line in lines)
        {
            var path = line.GetProperty("body_path").GetString()!;
            Assert.Equal(Path.GetFullPath(bodies), Path.GetDirectoryName(Path.GetFullPath(path)));
            Assert.Matches("^[0-9a-f]{64}$", Path.GetFileName(path));
            Assert.Equal(100, new FileInfo(path).Length);
        }

        Assert.Equal(urls.Length, Directory.GetFiles(bodies).Length);
        Assert.Empty(Directory.GetDirectories(bodies));
        Assert.Equal(["bodies"], Directory.GetDirectories(temp.Path).Select(Path.GetFileName));
        Assert.Equal(["results.jsonl", "urls.txt"], Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Fetch_CancelledThenResumed_EndsWithExactlyOneLinePerUrl()
    {
        using var temp = new TempDirectory();
        var urls = Enumerable.Range(0, 150).Select(i => fixture.Url($"/slowish/resume/{i}")).ToList();
        await File.WriteAllLinesAsync(temp.File("urls.txt"), urls);
        var results = temp.File("results.jsonl");
        string[] args = ["fetch", temp.File("urls.txt"), "--out", results, "--concurrency", "2"];

        using var interrupt = new CancellationTokenSource();
        var first = CliRun.RunAsync(args, cancellationToken: interrupt.Token);
        await Poll.UntilAsync(() => ResultsFile.CountLines(results) >= 10, "ten results are written");
        await interrupt.CancelAsync();
        var interrupted = await first;

        Assert.Equal(ExitCode.Interrupted, interrupted.ExitCode);
        var partial = ResultsFile.Read(results);
        Assert.InRange(partial.Count, 10, urls.Count - 1);
        Assert.Equal(partial.Count, partial.Select(static l => l.Url()).Distinct().Count());

        // As if a kill -9 had torn the line being written: half of a result for a URL not yet done.
        var torn = JsonSerializer.Serialize(new { url = urls.First(u => partial.All(l => l.Url() != u)), ok = true });
        await File.AppendAllTextAsync(results, torn[..(torn.Length / 2)]);

        var resumed = await CliRun.RunAsync([.. args, "--resume"]);

        Assert.Equal(ExitCode.Success, resumed.ExitCode);
        Assert.Contains("cut off a torn last line", resumed.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{partial.Count} skipped", resumed.Stderr, StringComparison.Ordinal);
        AssertOneOkLinePerUrl(urls, ResultsFile.Read(results));
    }

    [Fact]
    public async Task Fetch_CancelledWhileWaitingForInput_KeepsFinishedLinesAndExitsInterrupted()
    {
        // stdin gives three URLs and then nothing more, like a producer that stalls; Ctrl-C comes meanwhile.
        var urls = Enumerable.Range(0, 3).Select(i => fixture.Url($"/stalled/{i}")).ToList();
        var output = new WatchedStream();
        using var interrupt = new CancellationTokenSource();

        var run = CliRun.RunAsync(["fetch", "-"], cancellationToken: interrupt.Token, output: output, input: () => new EndlessInput(string.Join('\n', urls) + "\n"));
        await output.WaitForAsync(static text => text.Count(static c => c == '\n') == 3);
        await interrupt.CancelAsync();
        var result = await run;

        Assert.Equal(ExitCode.Interrupted, result.ExitCode);
        Assert.Equal(urls.Order(), ResultsFile.Parse(output.Text).Select(static l => l.Url()).Order());
        Assert.StartsWith("3 URL(s) in ", result.StderrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_PerHost_BoundsTheRequestsInFlightToOneHost()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { LatencyMs = 10 } },
        });
        var stdin = string.Join('\n', Enumerable.Range(0, 30).Select(i => server.GetUri($"/{i}").AbsoluteUri));

        var result = await CliRun.RunAsync(["fetch", "-", "--concurrency", "16", "--per-host", "2"], stdin);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Equal(30, ResultsFile.Parse(result.StdoutText).Count);
        Assert.InRange(server.Stats.MaxInFlight, 1, 2);
    }

    [Fact]
    public async Task Fetch_ResumeWithoutOut_IsAUsageError()
    {
        var result = await CliRun.RunAsync(["fetch", "-", "--resume"], "http://127.0.0.1:1/\n");

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.Equal("reprise: --resume needs --out: the results file is what it resumes from.", Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task Fetch_MissingInputFile_IsAUsageError()
    {
        var result = await CliRun.RunAsync("fetch", "/nonexistent/reprise/urls.txt");

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.StartsWith("reprise: cannot read the input '/nonexistent/reprise/urls.txt'", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    internal static void AssertOneOkLinePerUrl(IReadOnlyCollection<string> urls, List<JsonElement> lines)
    {
        Assert.Equal(urls.Count, lines.Count);
        Assert.Equal(urls.Order(), lines.Select(static l => l.Url()).Order());
        Assert.All(lines, static l => Assert.True(l.Ok()));
    }
}
