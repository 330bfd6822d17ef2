using Reprise.Cli.Fetch;

namespace Reprise.Cli.Tests.Fetch;

public class FetchShardTests
{
    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("2/3", 2, 3)]
    [InlineData("9999/10000", 9999, 10000)]
    public void TryParse_KOfN_ReadsBoth(string text, int index, int count)
    {
        Assert.True(FetchShard.TryParse(text, out var shard, out _));
        Assert.Equal(new FetchShard(index, count), shard);
        Assert.Equal(text, shard.ToString());
    }

    [Theory]
    [InlineData("3/3", "--shard K/N needs N from 1 to 10000 and K from 0 to N-1; it was '3/3'.")]
    [InlineData("0/0", "--shard K/N needs N from 1 to 10000 and K from 0 to N-1; it was '0/0'.")]
    [InlineData("0/10001", "--shard K/N needs N from 1 to 10000 and K from 0 to N-1; it was '0/10001'.")]
    [InlineData("-1/3", "--shard must be K/N, such as 0/4 (K from 0 to N-1); it was '-1/3'.")]
    [InlineData("1", "--shard must be K/N, such as 0/4 (K from 0 to N-1); it was '1'.")]
    [InlineData("a/b", "--shard must be K/N, such as 0/4 (K from 0 to N-1); it was 'a/b'.")]
    [InlineData(" 1/3", "--shard must be K/N, such as 0/4 (K from 0 to N-1); it was ' 1/3'.")]
    public void TryParse_BadValue_ErrorNamesTheOption(string text, string expected)
    {
        Assert.False(FetchShard.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Hash_KnownKeys_StableAcrossMachinesAndRuns()
    {
        // XxHash64, seed 0: the empty input's value is the algorithm's published one; the host key's is pinned so
        // that a change of hash (or of key format) shows here before it splits lists differently from older runs.
        Assert.Equal(0xEF46DB3751D8E999UL, FetchShard.Hash(string.Empty));
        Assert.Equal(PinnedExampleHash, FetchShard.Hash("https://example.com:443"));
        Assert.Equal((int)(PinnedExampleHash % 4), FetchShard.IndexOf("https://EXAMPLE.com/a?b", 4));
    }

    [Theory]
    [InlineData("https://Example.COM/path", "https://example.com:443")]
    [InlineData("http://example.com:8080/x", "http://example.com:8080")]
    [InlineData("http://127.0.0.1/", "http://127.0.0.1:80")]
    [InlineData("http://[::1]:5000/", "http://::1:5000")] // As the host registry names it.
    [InlineData("not-a-url", null)]
    [InlineData("ftp://example.com/file", null)]
    [InlineData("/relative/path", null)]
    public void HostKey_Line_SchemeHostAndPortOrNull(string url, string? expected)
        => Assert.Equal(expected, FetchShard.HostKey(url));

    [Fact]
    public void Contains_ManyUrlsAndHosts_EveryUrlInExactlyOneShardAndEveryHostInOne()
    {
        const int Count = 3;
        var urls = Enumerable.Range(0, 60)
            .SelectMany(h => Enumerable.Range(0, 20).Select(i => $"https://host{h}.example:{8000 + (h % 3)}/item/{i}"))
            .Concat(["not-a-url", "ftp://example.com/x", string.Empty])
            .ToList();
        var shards = Enumerable.Range(0, Count).Select(static k => new FetchShard(k, Count)).ToList();

        foreach (var url in urls)
        {
            Assert.Single(shards, s => s.Contains(url));
        }

        var byHost = urls.Where(static u => FetchShard.HostKey(u) is not null).GroupBy(static u => FetchShard.HostKey(u));
        foreach (var host in byHost)
        {
            Assert.Single(host.Select(static u => FetchShard.IndexOf(u, Count)).Distinct());
        }

        // No shard is left empty by 60 hosts, and the lines with no valid host all go to shard 0.
        Assert.All(shards, s => Assert.Contains(urls, s.Contains));
        Assert.True(shards[0].Contains("not-a-url"));
    }

    // XxHash64("https://example.com:443"), seed 0, as computed on the day --shard was written.
    private const ulong PinnedExampleHash = 13771198485082933016UL;
}
