using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Reprise.Cli.Tests.Fetch;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Commands;

/// <summary>The built tool in a real process, its streams pipes: what a script, a CI log or nohup sees.</summary>
public class RealProcessTests(FetchServerFixture fixture) : IClassFixture<FetchServerFixture>
{
    [Fact]
    public async Task Fetch_StderrAPipe_WritesProgressLinesThenThePlainSummary()
    {
        using var child = CliProcess.Start("fetch", "-", "--progress-interval", "200ms");
        var stderr = new StringBuilder();
        var stderrLock = new Lock();
        child.ErrorDataReceived += (_, e) =>
        {
            lock (stderrLock)
            {
                stderr.Append(e.Data).Append('\n');
            }
        };
        child.BeginErrorReadLine();
        var stdout = child.StandardOutput.ReadToEndAsync();
        try
        {
            // Two URLs, then stdin stays open: the run goes on, and the progress lines must come meanwhile.
            await child.StandardInput.WriteAsync($"{fixture.Url("/pipe/1")}\n{fixture.Url("/pipe/2")}\n");
            await child.StandardInput.FlushAsync();
            await Poll.UntilAsync(() => Text().Contains("2 done (2 ok, 0 failed)", StringComparison.Ordinal), "a progress line on the piped stderr");
            child.StandardInput.Close();
            await child.WaitForExitAsync();
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(0, child.ExitCode);
        Assert.Equal(2, ResultsFile.Parse(await stdout).Count);
        Assert.Contains("\n2 URL(s) in ", "\n" + Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", Text(), StringComparison.Ordinal);

        string Text()
        {
            lock (stderrLock)
            {
                return stderr.ToString();
            }
        }
    }

    [Fact]
    public async Task Get_ConnectionRefused_ExitsThreeInARealProcess()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using var child = CliProcess.Start("get", $"http://127.0.0.1:{port}/", "--max-attempts", "1");
        var stderr = await child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();

        Assert.Equal(3, child.ExitCode);
        Assert.StartsWith("reprise: connection_refused after 1 attempt(s) (attempts_exhausted)", stderr, StringComparison.Ordinal);
    }
}
