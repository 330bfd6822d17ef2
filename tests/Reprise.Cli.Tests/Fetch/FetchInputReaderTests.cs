using System.Text;
using Reprise.Cli.Fetch;

namespace Reprise.Cli.Tests.Fetch;

public class FetchInputReaderTests
{
    [Fact]
    public async Task ReadAsync_SkipsBlankAndCommentLines_KeepsLineNumbersAndIds()
    {
        var lines = await ReadAsync("http://h/a\n\n   \n# a comment\n  http://h/b   item-2  \nhttp://h/c\tid 3\r\n\uFEFF\n");

        Assert.Equal(
            [
                new FetchInputLine(1, "http://h/a", null),
                new FetchInputLine(5, "http://h/b", "item-2"),
                new FetchInputLine(6, "http://h/c", "id 3"),
            ],
            lines.Take(3));
    }

    [Theory]
    [InlineData("not a url", "not a url")]
    [InlineData("ftp://example.com/file id", "ftp://example.com/file id")]
    [InlineData("/relative/path", "/relative/path")]
    public async Task ReadAsync_PlainLineWhoseFirstTokenIsNoHttpUrl_IsOneInvalidLineNamedByItsText(string text, string key)
    {
        var line = Assert.Single(await ReadAsync(text + "\n"));

        Assert.Equal(key, line.Url);
        Assert.Null(line.Id);
        Assert.Equal($"line 1: '{text.Split(' ')[0]}' is not an absolute http or https URL.", line.Error);
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMark_IsNotPartOfTheFirstUrl()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("http://h/a\n")).ToArray();
        await using var input = new MemoryStream(bytes);

        var lines = new List<FetchInputLine>();
        await foreach (var line in FetchInputReader.ReadAsync(input))
        {
            lines.Add(line);
        }

        Assert.Equal("http://h/a", Assert.Single(lines).Url);
        Assert.Null(lines[0].Error);
    }

    [Fact]
    public async Task ReadAsync_LineOverTheLimit_IsOneInvalidLineAndTheNextLinesAreRead()
    {
        var longLine = "http://h/" + new string('x', 10_000);
        var lines = await ReadAsync($"http://h/1\n{longLine} id\nhttp://h/3\n", maxLineBytes: 1000);

        Assert.Equal(3, lines.Count);
        Assert.Null(lines[0].Error);
        Assert.Equal("line 2 is 10,012 bytes long, more than the limit of 1,000; it was not read.", lines[1].Error);
        Assert.Equal($"{longLine[..64]}... (10012 bytes)", lines[1].Url);
        Assert.Equal(new FetchInputLine(3, "http://h/3", null), lines[2]);
    }

    [Fact]
    public async Task ReadAsync_EndlessLineWithoutNewline_HoldsOnlyTheLimit()
    {
        // 50 MB without a newline, read through a limit of 1 MiB: the reader keeps at most the limit.
        await using var input = new RepeatingStream((byte)'a', 50_000_000);
        var lines = new List<FetchInputLine>();
        var before = GC.GetAllocatedBytesForCurrentThread();
        await foreach (var line in FetchInputReader.ReadAsync(input))
        {
            lines.Add(line);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("50,000,000 bytes long", Assert.Single(lines).Error, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 8 * FetchInputLimits.MaxLineBytes);
    }

    [Fact]
    public async Task ReadAsync_UrlOverEightThousandOctets_IsInvalidAndNamedByItsStart()
    {
        var url = "http://h/" + new string('a', FetchInputLimits.MaxUrlOctets);

        var line = Assert.Single(await ReadAsync(url + "\n"));

        Assert.Equal("line 1: the URL is 8,009 octets long, more than the limit of 8,000.", line.Error);
        Assert.Equal($"{url[..64]}... (8009 bytes)", line.Url);
    }

    [Fact]
    public async Task ReadAsync_UrlOfExactlyTheLimit_IsARequest()
    {
        var url = "http://h/" + new string('a', FetchInputLimits.MaxUrlOctets - 9);

        var line = Assert.Single(await ReadAsync(url + "\n"));

        Assert.Null(line.Error);
        Assert.Equal(url, line.Url);
    }

    internal static async Task<List<FetchInputLine>> ReadAsync(string text, int maxLineBytes = FetchInputLimits.MaxLineBytes)
    {
        await using var input = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var lines = new List<FetchInputLine>();
        await foreach (var line in FetchInputReader.ReadAsync(input, maxLineBytes))
        {
            lines.Add(line);
        }

        return lines;
    }

    private sealed class RepeatingStream(byte value, long total) : Stream
    {
        private long _left = total;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _left);
            buffer.AsSpan(offset, n).Fill(value);
            _left -= n;
            return n;
        }

        // Synchronous, so the whole read runs on the test's thread and its allocations are counted there.
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = (int)Math.Min(buffer.Length, _left);
            buffer.Span[..n].Fill(value);
            _left -= n;
            return ValueTask.FromResult(n);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
