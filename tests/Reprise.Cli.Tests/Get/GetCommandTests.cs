using System.Net;
using System.Net.Sockets;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Get;

public class GetCommandTests(GetServerFixture fixture) : IClassFixture<GetServerFixture>
{
    private string Url(string path) => fixture.Server.GetUri(path).AbsoluteUri;

    [Fact]
    public async Task Get_Success_WritesTheBodyToStdoutAndExitsZero()
    {
        var result = await CliRun.RunAsync("get", Url("/ok/1"));

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Equal(300, result.Stdout.Length);
        Assert.StartsWith("0123456789ABC", result.StdoutText, StringComparison.Ordinal);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Get_OutputFile_WritesTheBodyToTheFileAndNothingToStdout()
    {
        using var temp = new TempDirectory();
        var file = temp.File("body.bin");

        var result = await CliRun.RunAsync("get", Url("/ok/2"), "-o", file);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(300, new FileInfo(file).Length);
    }

    [Fact]
    public async Task Get_Verbose_ShowsEachAttemptItsStatusAndTheWaitAfterIt()
    {
        var result = await CliRun.RunAsync("get", Url("/flaky/1"), "-v");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        var lines = result.StderrLines.Where(static l => l.StartsWith("< attempt", StringComparison.Ordinal) || l.StartsWith("* waiting", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, lines.Count);
        Assert.StartsWith("< attempt 1: 503 Service Unavailable in ", lines[0], StringComparison.Ordinal);
        Assert.Equal("* waiting 0ms before attempt 2 (Retry-After)", lines[1]);
        Assert.StartsWith("< attempt 2: 503 Service Unavailable in ", lines[2], StringComparison.Ordinal);
        Assert.Equal("* waiting 0ms before attempt 3 (Retry-After)", lines[3]);
        Assert.StartsWith("< attempt 3: 200 OK in ", lines[4], StringComparison.Ordinal);
        Assert.DoesNotContain(result.StderrLines, static l => l.Contains("for the host", StringComparison.Ordinal));
        Assert.Contains(result.StderrLines, static l => l.StartsWith("* final_status after 3 attempt(s)", StringComparison.Ordinal));
        Assert.Equal(3, fixture.Server.Stats.Routes["/flaky"].Requests);
    }

    [Fact]
    public async Task Get_VerboseRedirect_ShowsEachHopMaskedBeforeItsAttempt()
    {
        var result = await CliRun.RunAsync("get", Url("/twice/1"), "-v");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        var origin = fixture.Server.GetUri("/").AbsoluteUri.TrimEnd('/');
        var lines = result.StderrLines.Where(static l => l.StartsWith("* redirect", StringComparison.Ordinal) || l.StartsWith("< attempt", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [$"* redirect 301 -> {origin}/moved/1 (hop 1)", $"* redirect 302 -> {origin}/ok/moved?token=*** (hop 2)"],
            lines.Take(2));
        Assert.StartsWith("< attempt 1: 200 OK in ", Assert.Single(lines.Skip(2)), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_VerboseRedirectRefused_ShowsTheHopsBeforeTheRefusal()
    {
        var result = await CliRun.RunAsync("get", Url("/twice/2"), "-v", "--max-redirects", "1", "--show-query");

        Assert.Equal(ExitCode.LimitHit, result.ExitCode);
        var origin = fixture.Server.GetUri("/").AbsoluteUri.TrimEnd('/');
        Assert.Equal($"* redirect 301 -> {origin}/moved/1 (hop 1)", Assert.Single(result.StderrLines, static l => l.StartsWith("* redirect", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Get_Verbose_NeverShowsHeaderValues()
    {
        var result = await CliRun.RunAsync("get", Url("/ok/3"), "-v", "-H", "Authorization: Bearer s3cret-token", "-H", "X-Api-Key: k3y");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Contains("(headers: User-Agent, Accept, Authorization, X-Api-Key)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("k3y", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_FinalErrorStatus_WritesTheBodyAndExitsOneWithOneErrorLine()
    {
        var result = await CliRun.RunAsync("get", Url("/missing/1"));

        Assert.Equal(ExitCode.SomeFailed, result.ExitCode);
        Assert.Equal(9, result.Stdout.Length);
        Assert.Equal("reprise: 404 Not Found after 1 attempt(s) (final_status).", Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task Get_AttemptsExhausted_ExitsOneAfterMaxAttempts()
    {
        var result = await CliRun.RunAsync("get", Url("/down/1"), "--max-attempts", "2", "-v");

        Assert.Equal(ExitCode.SomeFailed, result.ExitCode);
        Assert.Equal(2, result.StderrLines.Count(static l => l.StartsWith("< attempt", StringComparison.Ordinal)));
        Assert.Equal("reprise: 503 Service Unavailable after 2 attempt(s) (attempts_exhausted).", result.StderrLines[^1]);
    }

    [Fact]
    public async Task Get_ConnectionRefused_ExitsThreeWithOneErrorLine()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}/x";

        var result = await CliRun.RunAsync("get", url, "--max-attempts", "1");

        Assert.Equal(ExitCode.TransportFailure, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("reprise: connection_refused after 1 attempt(s) (attempts_exhausted): Connection refused", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_DataFromFile_PostsItsBytes()
    {
        using var temp = new TempDirectory();
        var file = temp.File("body.json");
        await File.WriteAllBytesAsync(file, [0x7b, 0x7d, 0x00, 0xff]);

        var result = await CliRun.RunAsync("get", Url("/ok/4"), "-d", $"@{file}", "-H", "Content-Type: application/json", "-v");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Contains($"> POST {Url("/ok/4")} (headers: User-Agent, Accept, Content-Type) with a 4-byte body", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_DataFileMissing_ExitsWithUsageError()
    {
        var result = await CliRun.RunAsync("get", Url("/ok/5"), "-d", "@/nonexistent/reprise/body");

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.StartsWith("reprise: --data: cannot read '/nonexistent/reprise/body'", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Cancelled_ExitsInterrupted()
    {
        using var cancel = new CancellationTokenSource();
        var run = CliRun.RunAsync(["get", Url("/hang/1")], cancellationToken: cancel.Token);
        await Poll.UntilAsync(() => fixture.Server.Stats.Routes.TryGetValue("/hang", out var route) && route.Hangs >= 1, "the request hangs on the server");

        await cancel.CancelAsync();
        var result = await run;

        Assert.Equal(ExitCode.Interrupted, result.ExitCode);
        Assert.Equal("reprise: interrupted.", Assert.Single(result.StderrLines));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
