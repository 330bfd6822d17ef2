using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Reprise.Bulk;
using Reprise.Retry;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

public class BulkBodyTests
{
    [Fact]
    public async Task RunAsync_Discard_CountsTheBytesAndKeepsNothing()
    {
        var time = NewClock();
        using var engine = Engine(Answering(time, "hello world"), time);

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/x")).CollectAsync());

        Assert.Equal(11, result.Bytes);
        Assert.Null(result.Body);
        Assert.Null(result.BodyPath);
    }

    [Fact]
    public async Task RunAsync_Memory_KeepsTheBody()
    {
        var time = NewClock();
        using var engine = Engine(Answering(time, "hello world"), time, o => o.BodyHandling = BulkBodyHandling.Memory);

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/x")).CollectAsync());

        Assert.Equal(BulkOutcome.Succeeded, result.Outcome);
        Assert.Equal("hello world", Encoding.UTF8.GetString(result.Body!.Value.Span));
        Assert.Equal(11, result.Bytes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_MemoryBodyOverTheCap_FailsThatRequestSayingSo(bool lengthKnown)
    {
        var time = NewClock();
        var handler = new BulkTestHandler(time, (_, _, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = lengthKnown ? new ByteArrayContent(new byte[100]) : new StreamContent(new UnknownLengthStream(new byte[100])),
        }));
        using var engine = Engine(handler, time, o => (o.BodyHandling, o.MaxBodyInMemory) = (BulkBodyHandling.Memory, 64));

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/x")).CollectAsync());

        Assert.Equal(BulkOutcome.Failed, result.Outcome);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal("The body is larger than MaxBodyInMemory (64 bytes).", result.Error);
        Assert.Null(result.Body);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task RunAsync_Sink_StreamsEachBodyToItsStreamAndReportsThePath()
    {
        var time = NewClock();
        var handler = new BulkTestHandler(time, (url, _, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("body of " + url) }));
        var sink = new MemorySink();
        using var engine = Engine(handler, time, o => (o.BodyHandling, o.BodySink) = (BulkBodyHandling.Sink, sink));

        var results = await engine.RunAsync(Urls("http://a.test/1", "http://a.test/2")).CollectAsync();

        Assert.All(results, r =>
        {
            Assert.Equal(BulkOutcome.Succeeded, r.Outcome);
            Assert.Equal("mem:" + r.Url, r.BodyPath);
            Assert.Equal("body of " + r.Url, sink.Text(r.Url));
            Assert.Equal(Encoding.UTF8.GetByteCount("body of " + r.Url), r.Bytes);
        });
    }

    [Fact]
    public async Task RunAsync_SinkThrows_FailsOnlyThatRequest()
    {
        var time = NewClock();
        var sink = new MemorySink { FailFor = "http://a.test/bad" };
        using var engine = Engine(Answering(time, "data"), time, o => (o.BodyHandling, o.BodySink) = (BulkBodyHandling.Sink, sink));

        var results = (await engine.RunAsync(Urls("http://a.test/1", "http://a.test/bad", "http://a.test/2")).CollectAsync()).ToDictionary(r => r.Url);

        Assert.Equal(BulkOutcome.Failed, results["http://a.test/bad"].Outcome);
        Assert.Equal("The body sink failed: disk full", results["http://a.test/bad"].Error);
        Assert.Equal(RetryStopReason.NonRetryableError, results["http://a.test/bad"].StopReason);
        Assert.Equal(BulkOutcome.Succeeded, results["http://a.test/1"].Outcome);
        Assert.Equal(BulkOutcome.Succeeded, results["http://a.test/2"].Outcome);
    }

    [Fact]
    public async Task RunAsync_BodyCutMidWay_IsRetriedAndTheSinkStartsAfresh()
    {
        var time = NewClock();
        var handler = new BulkTestHandler(time, (_, attempt, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(attempt == 1 ? new CutStream(Encoding.UTF8.GetBytes("partial")) : new MemoryStream(Encoding.UTF8.GetBytes("complete body"))),
        }));
        var sink = new MemorySink();
        using var engine = Engine(handler, time, o => (o.BodyHandling, o.BodySink) = (BulkBodyHandling.Sink, sink));

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/x")).CollectAsync());

        Assert.Equal(BulkOutcome.Succeeded, result.Outcome);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(HttpStatusCode.OK, result.History.Attempts[0].StatusCode);
        Assert.IsType<IOException>(result.History.Attempts[0].Exception);
        Assert.Equal("complete body", sink.Text("http://a.test/x"));
        Assert.Equal(2, sink.Opened);
    }

    [Fact]
    public async Task RunAsync_FinalFailureBody_IsHandledLikeAnyOther()
    {
        var time = NewClock();
        var handler = new BulkTestHandler(time, (_, _, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("no such page") }));
        using var engine = Engine(handler, time, o => o.BodyHandling = BulkBodyHandling.Memory);

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/x")).CollectAsync());

        Assert.Equal(BulkOutcome.Failed, result.Outcome);
        Assert.Equal("no such page", Encoding.UTF8.GetString(result.Body!.Value.Span));
    }

    private static BulkTestHandler Answering(TimeProvider time, string body)
        => new(time, (_, _, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) }));

    private sealed class MemorySink : IBulkBodySink
    {
        private readonly ConcurrentDictionary<string, MemoryStream> _bodies = new();
        private int _opened;

        public string? FailFor { get; init; }

        public int Opened => _opened;

        public Stream? Open(BulkRequest request, HttpResponseMessage response, out string? path)
        {
            Interlocked.Increment(ref _opened);
            if (request.Url == FailFor)
            {
                throw new IOException("disk full");
            }

            path = "mem:" + request.Url;
            var stream = new MemoryStream(); // ToArray still works once the engine disposes it.
            _bodies[request.Url] = stream;
            return stream;
        }

        public string Text(string url) => Encoding.UTF8.GetString(_bodies[url].ToArray());
    }

    /// <summary>A stream that yields some bytes, then fails as a connection reset would.</summary>
    private sealed class CutStream(byte[] prefix) : MemoryStream(prefix)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("The connection was reset.");
    }

    /// <summary>A body without a Content-Length, as a chunked response has.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
