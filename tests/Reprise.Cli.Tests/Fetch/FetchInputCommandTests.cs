using System.Text.Json;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Fetch;

/// <summary>What reaches the server from JSON input lines, and one result for every line that is no request.</summary>
public class FetchInputCommandTests(FetchServerFixture fixture) : IClassFixture<FetchServerFixture>
{
    [Fact]
    public async Task Fetch_JsonLine_SendsItsMethodHeadersAndBody()
    {
        await using var server = new RecordingServer();
        var stdin = $$"""
            {"url":"{{server.Url("/orders")}}","method":"PUT","headers":{"Idempotency-Key":"k-1"},"body":"{\"n\":1}","content_type":"application/json","id":"o-1"}
            {"url":"{{server.Url("/raw")}}","body_base64":"AAEC/w=="}
            """;

        var result = await CliRun.RunAsync(["fetch", "-", "-H", "X-Shared: s"], stdin);

        Assert.Equal(ExitCode.Success, result.ExitCode);
        var lines = ResultsFile.Parse(result.StdoutText);
        Assert.Equal("o-1", lines.Single(static l => l.Url().EndsWith("/orders", StringComparison.Ordinal)).GetProperty("id").GetString());
        var put = server.Requests.Single(static r => r.Target == "/orders");
        Assert.Equal(("PUT", "{\"n\":1}", "application/json", "k-1", "s"), (put.Method, put.BodyText, put.Headers["Content-Type"], put.Headers["Idempotency-Key"], put.Headers["X-Shared"]));
        var post = server.Requests.Single(static r => r.Target == "/raw");
        Assert.Equal("POST", post.Method);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, post.Body);
    }

    [Fact]
    public async Task Fetch_DefaultHeaders_SendUserAgentAndAcceptUnlessGiven()
    {
        await using var server = new RecordingServer();

        var result = await CliRun.RunAsync(["fetch", "-"], $"{server.Url("/a")}\n{{\"url\":\"{server.Url("/b")}\",\"headers\":{{\"User-Agent\":\"mine/1\"}}}}\n");
        var agent = await CliRun.RunAsync(["fetch", "-", "-A", "other/2"], $"{server.Url("/c")}\n");

        Assert.Equal((ExitCode.Success, ExitCode.Success), (result.ExitCode, agent.ExitCode));
        var a = server.Requests.Single(static r => r.Target == "/a");
        Assert.Equal((RequestDefaults.UserAgent, "*/*"), (a.Headers["User-Agent"], a.Headers["Accept"]));
        Assert.Matches(@"^reprise/\d+\.\d+\.\d+", RequestDefaults.UserAgent);
        Assert.Equal("mine/1", server.Requests.Single(static r => r.Target == "/b").Headers["User-Agent"]);
        Assert.Equal("other/2", server.Requests.Single(static r => r.Target == "/c").Headers["User-Agent"]);
    }

    [Fact]
    public async Task Fetch_LinesThatAreNoRequest_EachGetOneInvalidLineAndTheRunGoesOn()
    {
        var good = fixture.Url("/input/good");
        var stdin = string.Join('\n', good, "not a url", "{\"url\":", "{\"id\":\"x\"}", "http://h/" + new string('a', 9000), good + " again") + "\n";

        var result = await CliRun.RunAsync(["fetch", "-"], stdin);

        Assert.Equal(ExitCode.SomeFailed, result.ExitCode);
        var lines = ResultsFile.Parse(result.StdoutText);
        Assert.Equal(6, lines.Count);
        var invalid = lines.Where(static l => l.GetProperty("outcome").GetString() == "invalid_input").ToList();
        Assert.Equal(["(line 3)", "(line 4)", "not a url"], invalid.Select(static l => l.Url()).Where(static u => u.Length < 20).Order());
        Assert.All(invalid, static l => Assert.Equal("invalid_input", l.GetProperty("stop").GetString()));
        Assert.All(invalid, static l => Assert.Equal(0, l.Attempts()));
        Assert.Contains("2 succeeded, 0 failed, 4 invalid", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/input/ok", "final_status", true)]
    [InlineData("/missing/stop", "final_status", false)]
    [InlineData("/down/stop", "attempts_exhausted", false)]
    public async Task Fetch_StopField_SaysWhyTheRequestStopped(string path, string stop, bool ok)
    {
        var result = await CliRun.RunAsync(["fetch", "-", "--max-attempts", "2"], fixture.Url(path) + "\n");

        var line = Assert.Single(ResultsFile.Parse(result.StdoutText));
        Assert.Equal((stop, ok), (line.GetProperty("stop").GetString(), line.Ok()));
    }

    [Fact]
    public async Task Fetch_Resume_SkipsAnInvalidLineAlreadyInTheResults()
    {
        using var temp = new TempDirectory();
        await File.WriteAllLinesAsync(temp.File("in.txt"), [fixture.Url("/input/resume"), "not a url"]);
        string[] args = ["fetch", temp.File("in.txt"), "--out", temp.File("out.jsonl")];

        await CliRun.RunAsync(args);
        var resumed = await CliRun.RunAsync([.. args, "--resume"]);

        Assert.Contains("2 skipped", resumed.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, ResultsFile.Read(temp.File("out.jsonl")).Count);
        Assert.Equal(JsonValueKind.String, ResultsFile.Read(temp.File("out.jsonl"))[0].GetProperty("stop").ValueKind);
    }
}
