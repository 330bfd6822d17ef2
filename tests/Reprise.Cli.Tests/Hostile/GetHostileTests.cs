using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Hostile;

/// <summary><c>reprise get</c> against a hostile server: redirects, credentials, control characters, files it cannot write.</summary>
public class GetHostileTests(HostileServerFixture fixture) : IClassFixture<HostileServerFixture>
{
    [Fact]
    public async Task Get_RedirectLoop_FailsWithItsReasonAfterOneRequest()
    {
        var before = fixture.Server.Stats.Routes["/loop"].Requests;

        var result = await CliRun.RunAsync("get", fixture.Url("/loop"));

        Assert.NotEqual(ExitCode.Success, result.ExitCode);
        Assert.Contains("redirect loop", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, fixture.Server.Stats.Routes["/loop"].Requests - before);
    }

    [Fact]
    public async Task Get_EndlessChain_StopsAtMaxRedirects()
    {
        var before = fixture.Server.Stats.Routes["/chain"].Requests;

        var result = await CliRun.RunAsync("get", fixture.Url("/chain"), "--max-redirects", "2");

        Assert.NotEqual(ExitCode.Success, result.ExitCode);
        Assert.Contains("Too many redirects", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, fixture.Server.Stats.Routes["/chain"].Requests - before);
    }

    [Fact]
    public async Task Get_NoFollow_TheRedirectIsTheAnswer()
    {
        var result = await CliRun.RunAsync("get", fixture.Url("/loop/nofollow"), "--no-follow");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Empty(result.Stderr);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task Get_RedirectToAnotherOrigin_HeadersStayHomeUnlessLocationTrusted(bool trusted, long expected)
    {
        fixture.Other.ResetStats();
        string[] args = ["get", fixture.Url("/away"), "-H", "Cookie: session=s3cret", "-H", "X-Api-Key: k3y", "-H", "Accept: text/plain"];

        var result = await CliRun.RunAsync(trusted ? [.. args, "--location-trusted"] : args);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        var seen = fixture.Other.Stats.RequestHeaders;
        Assert.Equal(expected, seen["Cookie"]);
        Assert.Equal(expected, seen["X-Api-Key"]);
        Assert.Equal(1, seen["Accept"]);
    }

    [Fact]
    public async Task Get_UserInfo_SentAsBasicAuthenticationAndMaskedInVerbose()
    {
        var url = fixture.Url("/auth/1").Replace("http://", "http://user:pa55@", StringComparison.Ordinal);

        var result = await CliRun.RunAsync("get", url, "-v");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Equal("012", result.StdoutText);
        Assert.DoesNotContain("pa55", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("http://***@127.0.0.1", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_VerboseQuery_ValuesMaskedUnlessShowQuery()
    {
        var url = fixture.Url("/ok/q?token=s3cret&page=2");

        var masked = await CliRun.RunAsync("get", url, "-v");
        var shown = await CliRun.RunAsync("get", url, "-v", "--show-query");

        Assert.Contains("/ok/q?token=***&page=***", masked.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", masked.Stderr, StringComparison.Ordinal);
        Assert.Contains("/ok/q?token=s3cret&page=2", shown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ControlCharactersInTheStatusLine_AreEscapedOnStderr()
    {
        var result = await CliRun.RunAsync("get", fixture.Url("/evil/1"));

        Assert.Equal(ExitCode.SomeFailed, result.ExitCode);
        Assert.DoesNotContain('\u001b', result.Stderr);
        Assert.DoesNotContain('\u0007', result.Stderr);
        Assert.Contains(@"\x1B]0;pwned\x07\x1B[32mall attempts OK\x1B[0m", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/negative/1")]
    [InlineData("/twice/1")]
    public async Task Get_InvalidContentLength_IsAnInvalidResponse(string path)
    {
        var result = await CliRun.RunAsync("get", fixture.Url(path), "--max-attempts", "1");

        Assert.Equal(ExitCode.TransportFailure, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("Content-Length", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_OutputInAMissingDirectory_IsAUsageError()
    {
        using var temp = new TempDirectory();
        var file = Path.Join(temp.Path, "missing", "body.bin");

        var result = await CliRun.RunAsync("get", fixture.Url("/ok/o"), "-o", file);

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.StartsWith($"reprise: --output: cannot write '{file}'", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_CompressedBombPastMaxFilesize_FailsWithoutWritingPastTheLimit()
    {
        var result = await CliRun.RunAsync("get", fixture.Url("/bomb/g"), "--max-filesize", "1M");

        Assert.NotEqual(ExitCode.Success, result.ExitCode);
        Assert.InRange(result.Stdout.Length, 0, 1024 * 1024);
        Assert.Contains("1048576", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TrickledBodyPastTheDeadline_FailsAtTheDeadline()
    {
        using var temp = new TempDirectory();

        var result = await CliRun.RunAsync("get", fixture.Url("/trickle/g"), "--deadline", "1s", "-o", temp.File("body.bin"));

        Assert.NotEqual(ExitCode.Success, result.ExitCode);
        Assert.Contains("deadline", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
