using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Fetch;

public class FetchShardCommandTests
{
    [Fact]
    public async Task Fetch_ThreeShardsOfOneFile_UnionOfResultsIsExactlyTheInput()
    {
        var options = new ChaosOptions();
        for (var h = 0; h < 6; h++)
        {
            options.Hosts.Add(new ChaosHostOptions { Name = $"h{h}", Routes = { new ChaosRouteOptions { Path = "/" } } });
        }

        await using var server = await ChaosServer.StartAsync(options);
        var input = server.Hosts.Values.SelectMany(static host => Enumerable.Range(0, 5).Select(i => host.GetUri($"/item/{i}").AbsoluteUri)).ToList();
        input.Add("not-a-url");
        input.Add(input[0]); // A URL given twice gets two results.
        using var temp = new TempDirectory();
        await File.WriteAllLinesAsync(temp.File("urls.txt"), input);

        var results = new List<string>();
        for (var k = 0; k < 3; k++)
        {
            var output = temp.File($"part-{k}.jsonl");
            var run = await CliRun.RunAsync("fetch", temp.File("urls.txt"), "--shard", $"{k}/3", "--out", output);

            Assert.Contains($"shard {k}/3: ", run.Stderr, StringComparison.Ordinal);
            var urls = File.Exists(output) ? ResultsFile.Read(output).Select(static l => l.Url()).ToList() : [];
            Assert.All(urls, url => Assert.Equal(k, Reprise.Cli.Fetch.FetchShard.IndexOf(url, 3)));
            results.AddRange(urls);
        }

        Assert.Equal(input.Order(StringComparer.Ordinal), results.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Fetch_ResumeOneShard_SkipsItsOwnDoneLinesOnly()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions { Routes = { new ChaosRouteOptions { Path = "/" } } });
        var input = Enumerable.Range(0, 4).Select(i => server.GetUri($"/r/{i}").AbsoluteUri).Append("not-a-url").ToList();
        var shard = Reprise.Cli.Fetch.FetchShard.IndexOf(input[0], 2);
        using var temp = new TempDirectory();
        await File.WriteAllLinesAsync(temp.File("urls.txt"), input);
        var output = temp.File("part.jsonl");
        await File.WriteAllTextAsync(output, $"{{\"url\":\"{input[1]}\",\"ok\":true,\"outcome\":\"succeeded\",\"attempts\":1,\"elapsed_ms\":1,\"bytes\":0}}\n");

        var run = await CliRun.RunAsync("fetch", temp.File("urls.txt"), "--shard", $"{shard}/2", "--out", output, "--resume");

        // The host's four URLs are this shard's (with not-a-url too when it is shard 0); the one already done is skipped.
        var expected = input.Take(4).Concat(shard == 0 ? ["not-a-url"] : []).Order(StringComparer.Ordinal);
        Assert.Equal(expected, ResultsFile.Read(output).Select(static l => l.Url()).Order(StringComparer.Ordinal));
        Assert.Contains("1 skipped", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3/3", "--shard K/N needs N from 1 to 10000 and K from 0 to N-1; it was '3/3'.")]
    [InlineData("x", "--shard must be K/N, such as 0/4 (K from 0 to N-1); it was 'x'.")]
    public async Task Fetch_BadShard_FailsAtStartNamingTheOption(string value, string expected)
    {
        var result = await CliRun.RunAsync("fetch", "does-not-matter.txt", "--shard", value);

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }
}
