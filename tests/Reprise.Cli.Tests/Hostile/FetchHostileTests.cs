using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Hostile;

/// <summary><c>reprise fetch</c> against a hostile server: redirects, credentials, body sizes, body files, results it cannot write.</summary>
public class FetchHostileTests(HostileServerFixture fixture) : IClassFixture<HostileServerFixture>
{
    [Fact]
    public async Task Fetch_UserInfo_AuthenticatesAndIsMaskedInTheResultsAndOnStderr()
    {
        using var temp = new TempDirectory();
        var url = fixture.Url("/auth/f1").Replace("http://", "http://user:pa55@", StringComparison.Ordinal);
        await File.WriteAllTextAsync(temp.File("urls.txt"), url + "\n");
        var results = temp.File("results.jsonl");

        var first = await CliRun.RunAsync("fetch", temp.File("urls.txt"), "--out", results);
        var resumed = await CliRun.RunAsync("fetch", temp.File("urls.txt"), "--out", results, "--resume");

        Assert.Equal(ExitCode.Success, first.ExitCode);
        var line = Assert.Single(ResultsFile.Read(results));
        Assert.True(line.Ok());
        Assert.Equal(fixture.Url("/auth/f1").Replace("http://", "http://***@", StringComparison.Ordinal), line.Url());
        Assert.DoesNotContain("pa55", first.Stderr + File.ReadAllText(results), StringComparison.Ordinal);
        Assert.Contains("1 skipped", resumed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_RedirectLoop_FailsWithItsReason()
    {
        var result = await CliRun.RunAsync(["fetch", "-"], stdin: fixture.Url("/loop/f") + "\n");

        Assert.Equal(ExitCode.SomeFailed, result.ExitCode);
        var line = Assert.Single(ResultsFile.Parse(result.StdoutText));
        Assert.False(line.Ok());
        Assert.Contains("redirect loop", line.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, line.Attempts());
    }

    [Fact]
    public async Task Fetch_RedirectToAnotherOrigin_HeadersStayHome()
    {
        fixture.Other.ResetStats();

        var result = await CliRun.RunAsync(["fetch", "-", "-H", "X-Api-Key: k3y"], stdin: fixture.Url("/away/f") + "\n");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Equal(1, fixture.Other.Stats.TotalRequests);
        Assert.Equal(0, fixture.Other.Stats.RequestHeaders["X-Api-Key"]);
    }

    [Fact]
    public async Task Fetch_CompressedBombPastMaxFilesize_FailsAndLeavesNoFile()
    {
        using var temp = new TempDirectory();
        var bodies = temp.File("bodies");

        var result = await CliRun.RunAsync(["fetch", "-", "--bodies", bodies, "--max-filesize", "1M"], stdin: fixture.Url("/bomb/f") + "\n");

        Assert.Equal(ExitCode.SomeFailed, result.ExitCode);
        var line = Assert.Single(ResultsFile.Parse(result.StdoutText));
        Assert.False(line.Ok());
        Assert.Contains("1048576", line.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, line.Attempts());
        Assert.Empty(Directory.GetFiles(bodies));
    }

    [Fact]
    public async Task Fetch_BodyCutShort_LeavesNoFile()
    {
        using var temp = new TempDirectory();
        var bodies = temp.File("bodies");

        var result = await CliRun.RunAsync(["fetch", "-", "--bodies", bodies, "--max-attempts", "1"], stdin: fixture.Url("/cut/f") + "\n");

        var line = Assert.Single(ResultsFile.Parse(result.StdoutText));
        Assert.False(line.Ok());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, line.GetProperty("body_path").ValueKind);
        Assert.Empty(Directory.GetFiles(bodies));
    }

    [Fact]
    public async Task Fetch_SameUrlManyTimesAtOnce_EveryBodyIsWrittenAndOneWholeFileRemains()
    {
        using var temp = new TempDirectory();
        var bodies = temp.File("bodies");
        var input = string.Concat(Enumerable.Repeat(fixture.Url("/same/f") + "\n", 200));

        var result = await CliRun.RunAsync(["fetch", "-", "--bodies", bodies, "--concurrency", "32"], stdin: input);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.All(ResultsFile.Parse(result.StdoutText), static l => Assert.True(l.Ok()));
        var file = Assert.Single(Directory.GetFiles(bodies));
        Assert.Equal(50_000, new FileInfo(file).Length);
    }

    [Fact]
    public async Task Fetch_OutInAMissingDirectory_IsAUsageError()
    {
        using var temp = new TempDirectory();
        var results = Path.Join(temp.Path, "missing", "results.jsonl");

        var result = await CliRun.RunAsync(["fetch", "-", "--out", results], stdin: fixture.Url("/ok/f") + "\n");

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.StartsWith($"reprise: --out: cannot write '{results}'", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }
}
