using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Fetch;

/// <summary>A real <c>kill -9</c> of the built CLI in the middle of a run, then <c>--resume</c>.</summary>
public class FetchKillTests(FetchServerFixture fixture) : IClassFixture<FetchServerFixture>
{
    [Fact]
    public async Task Fetch_KilledMidRunThenResumed_EndsWithExactlyOneLinePerUrl()
    {
        using var temp = new TempDirectory();
        var urls = Enumerable.Range(0, 300).Select(i => fixture.Url($"/slowish/kill/{i}")).ToList();
        await File.WriteAllLinesAsync(temp.File("urls.txt"), urls);
        var results = temp.File("results.jsonl");
        string[] args = ["fetch", temp.File("urls.txt"), "--out", results, "--concurrency", "2"];

        using (var child = CliProcess.Start(args))
        {
            try
            {
                await Poll.UntilAsync(() => ResultsFile.CountLines(results) >= 20 || child.HasExited, "the child has written twenty results");
                if (child.HasExited)
                {
                    Assert.Fail($"The child ended before it was killed: {await child.StandardError.ReadToEndAsync()}");
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true);  // SIGKILL: no handler runs, no flush, no clean-up
                await child.WaitForExitAsync();
            }
        }

        var before = ResultsFile.CountLines(results);
        Assert.InRange(before, 20, urls.Count - 1);

        var resumed = await CliRun.RunAsync([.. args, "--resume"]);

        Assert.Equal(ExitCode.Success, resumed.ExitCode);
        FetchCommandTests.AssertOneOkLinePerUrl(urls, ResultsFile.Read(results));
    }
}
