using System.Diagnostics;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Fetch;

/// <summary>A real SIGTERM (what <c>timeout</c> and service managers send) to the built CLI in the middle of a run.</summary>
public class FetchSignalTests(FetchServerFixture fixture) : IClassFixture<FetchServerFixture>
{
    [Fact]
    public async Task Fetch_SigtermTwiceAsTimeoutSendsIt_FlushesTheResultsPrintsTheSummaryAndExits130()
    {
        using var temp = new TempDirectory();
        var urls = Enumerable.Range(0, 300).Select(i => fixture.Url($"/slowish/term/{i}")).ToList();
        await File.WriteAllLinesAsync(temp.File("urls.txt"), urls);
        var results = temp.File("results.jsonl");

        using var child = CliProcess.Start(["fetch", temp.File("urls.txt"), "--out", results, "--concurrency", "2"]);
        var stderr = child.StandardError.ReadToEndAsync();
        try
        {
            await Poll.UntilAsync(() => ResultsFile.CountLines(results) >= 10 || child.HasExited, "the child has written ten results");
            Assert.False(child.HasExited, "The child ended before the signal.");
            // Twice, as GNU timeout does: once to the child, once to its process group.
            await SendSigtermAsync(child.Id);
            await SendSigtermAsync(child.Id);

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await child.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }

        var text = await stderr;
        Assert.Equal(130, child.ExitCode);
        Assert.Contains("URL(s) in", text, StringComparison.Ordinal);
        Assert.Contains("interrupted", text, StringComparison.Ordinal);
        var lines = ResultsFile.Read(results);
        Assert.InRange(lines.Count, 10, urls.Count - 1);
        Assert.All(lines, static l => Assert.True(l.Ok()));
    }

    private static async Task SendSigtermAsync(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }
}
