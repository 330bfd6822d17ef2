using System.Text;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Get;

/// <summary>The options curl users type without thinking, checked on what crossed the socket.</summary>
public class GetCurlOptionTests(GetServerFixture fixture) : IClassFixture<GetServerFixture>
{
    [Fact]
    public async Task Get_Defaults_SendUserAgentAndAccept()
    {
        await using var server = new RecordingServer();

        var result = await CliRun.RunAsync("get", server.Url("/a"));
        var agent = await CliRun.RunAsync("get", server.Url("/b"), "-A", "mine/1", "-H", "Accept: text/plain");

        Assert.Equal((ExitCode.Success, ExitCode.Success), (result.ExitCode, agent.ExitCode));
        var a = server.Requests.Single(static r => r.Target == "/a");
        Assert.Equal((RequestDefaults.UserAgent, "*/*"), (a.Headers["User-Agent"], a.Headers["Accept"]));
        var b = server.Requests.Single(static r => r.Target == "/b");
        Assert.Equal(("mine/1", "text/plain"), (b.Headers["User-Agent"], b.Headers["Accept"]));
    }

    [Fact]
    public async Task Get_DataFromFile_DropsNewlinesAsCurlDoes_AndDataBinaryKeepsThem()
    {
        await using var server = new RecordingServer();
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("body.txt"), "a=1\r\n&b=2\n");

        await CliRun.RunAsync("get", server.Url("/d"), "-d", $"@{temp.File("body.txt")}");
        await CliRun.RunAsync("get", server.Url("/binary"), "--data-binary", $"@{temp.File("body.txt")}");

        var d = server.Requests.Single(static r => r.Target == "/d");
        Assert.Equal(("POST", "a=1&b=2", "application/x-www-form-urlencoded"), (d.Method, d.BodyText, d.Headers["Content-Type"]));
        Assert.Equal("a=1\r\n&b=2\n", server.Requests.Single(static r => r.Target == "/binary").BodyText);
    }

    [Fact]
    public async Task Get_Json_PostsWithJsonContentTypeAndAccept()
    {
        await using var server = new RecordingServer();

        var result = await CliRun.RunAsync("get", server.Url("/j"), "--json", "{\"a\":1}");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        var j = Assert.Single(server.Requests);
        Assert.Equal(("POST", "{\"a\":1}", "application/json", "application/json"), (j.Method, j.BodyText, j.Headers["Content-Type"], j.Headers["Accept"]));
    }

    [Fact]
    public async Task Get_TwoBodies_IsAUsageError()
    {
        var result = await CliRun.RunAsync("get", Url("/ok/two"), "-d", "a", "--json", "{}");

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.Equal("reprise: --data and --json both give a body; give one.", Assert.Single(result.StderrLines));
    }

    [Fact]
    public async Task Get_User_SendsBasicAuthenticationAndNeverShowsThePassword()
    {
        await using var server = new RecordingServer();

        var result = await CliRun.RunAsync("get", server.Url("/u"), "-u", "ann:s3cret", "-v");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:s3cret")), Assert.Single(server.Requests).Headers["Authorization"]);
        Assert.DoesNotContain("s3cret", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Include_WritesTheStatusLineAndHeadersBeforeTheBody()
    {
        await using var server = new RecordingServer();

        var result = await CliRun.RunAsync("get", server.Url("/i"), "-i");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Recorded: 1\r\n", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: text/plain\r\n", result.StdoutText, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Head_SendsHeadAndWritesTheHeadersOnly()
    {
        await using var server = new RecordingServer();

        var result = await CliRun.RunAsync("get", server.Url("/h"), "-I");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Equal("HEAD", Assert.Single(server.Requests).Method);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", result.StdoutText, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Verbose_ShowsTheResponseHeaders()
    {
        await using var server = new RecordingServer();

        var result = await CliRun.RunAsync("get", server.Url("/v"), "-v");

        Assert.Contains("< HTTP/1.1 200 OK", result.StderrLines);
        Assert.Contains("< X-Recorded: 1", result.StderrLines);
    }

    [Fact]
    public async Task Get_WriteOut_WritesTheStatusTimeAndAttemptsAfterTheBody()
    {
        var result = await CliRun.RunAsync("get", Url("/flaky/w"), "-w", "\\n%{http_code} %{num_attempts} %{stop} %{time_total} 100%%\\n");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        var last = result.StdoutText.Split('\n')[^2];
        Assert.Matches(@"^200 3 final_status \d+\.\d{6} 100%$", last);
    }

    [Fact]
    public async Task Get_WriteOutUnknownVariable_IsAUsageErrorNamingIt()
    {
        var result = await CliRun.RunAsync("get", Url("/ok/w"), "-w", "%{http_cod}");

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.Contains("--write-out: unknown variable '%{http_cod}'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RetryNonIdempotent_RetriesAPost()
    {
        var without = await CliRun.RunAsync("get", Url("/flaky/post-1"), "-d", "x", "-w", "%{num_attempts} %{stop}");
        var with = await CliRun.RunAsync("get", Url("/flaky/post-2"), "-d", "x", "--retry-non-idempotent", "-w", "%{num_attempts} %{stop}");

        Assert.Equal(ExitCode.SomeFailed, without.ExitCode);
        Assert.EndsWith("1 not_idempotent", without.StdoutText, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Success, with.ExitCode);
        Assert.EndsWith("3 final_status", with.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Verbose_PrintsEachAttemptWhileTheCallStillRuns()
    {
        var error = new WatchedWriter();
        using var interrupt = new CancellationTokenSource();

        var run = CliRun.RunAsync(["get", Url("/hang/live"), "-v", "--attempt-timeout", "200ms", "--max-attempts", "100", "--deadline", "1m"], cancellationToken: interrupt.Token, error: error);
        await error.WaitForAsync(static t => t.Contains("< attempt 1: timeout in ", StringComparison.Ordinal) && t.Contains("* waiting ", StringComparison.Ordinal), "the first attempt and its wait are printed");
        Assert.False(run.IsCompleted);
        await interrupt.CancelAsync();
        var result = await run;

        Assert.Equal(ExitCode.Interrupted, result.ExitCode);
    }

    [Fact]
    public async Task Get_Deadline_ExitsFour()
    {
        var result = await CliRun.RunAsync("get", Url("/hang/deadline"), "--deadline", "300ms");

        Assert.Equal(ExitCode.Timeout, result.ExitCode);
    }

    [Fact]
    public async Task Get_ConnectTimeout_IsShownInHelpWithItsDefault()
    {
        var result = await CliRun.RunAsync("get", "--help");

        Assert.Contains("--connect-timeout", result.StdoutText, StringComparison.Ordinal);
    }

    private string Url(string path) => fixture.Server.GetUri(path).AbsoluteUri;
}
