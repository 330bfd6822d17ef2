using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Demo;

public class DemoCommandTests
{
    [Fact]
    public async Task Demo_SmallRun_FetchesEveryUrlAndOnlyTheMissingOnesFail()
    {
        using var temp = new TempDirectory();
        var results = temp.File("demo.jsonl");

        var result = await CliRun.RunAsync("demo", "--urls", "200", "--out", results);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        var lines = ResultsFile.Read(results);
        Assert.Equal(200, lines.Count);
        Assert.Equal(200, lines.Select(static l => l.Url()).Distinct().Count());
        var failed = lines.Where(static l => !l.Ok()).ToList();
        Assert.Equal(6, failed.Count);
        Assert.All(failed, static l => Assert.Equal(404, l.Status()));
        Assert.All(failed, static l => Assert.Contains("/missing/", l.Url(), StringComparison.Ordinal));
        Assert.Contains(lines, static l => l.Attempts() > 1);
        Assert.Contains($"results: {results}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("0 came before a Retry-After given for their URL had passed", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_Interrupted_ShowsTheSummaryAndExitsInterrupted()
    {
        using var temp = new TempDirectory();
        var results = temp.File("demo.jsonl");
        using var interrupt = new CancellationTokenSource();

        var run = CliRun.RunAsync(["demo", "--out", results], cancellationToken: interrupt.Token);
        await Poll.UntilAsync(() => ResultsFile.CountLines(results) >= 100, "a hundred results are written");
        await interrupt.CancelAsync();
        var result = await run;

        Assert.Equal(ExitCode.Interrupted, result.ExitCode);
        var written = ResultsFile.Read(results);
        Assert.InRange(written.Count, 100, DemoCommandDefaultUrls - 1);
        Assert.Contains("interrupted (run again with --resume)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"results: {results}", result.Stderr, StringComparison.Ordinal);
    }

    private const int DemoCommandDefaultUrls = Reprise.Cli.Commands.DemoCommand.DefaultUrls;
}
