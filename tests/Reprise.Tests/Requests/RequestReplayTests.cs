using System.Net;
using System.Net.Sockets;
using System.Text;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests.Requests;

public class RequestReplayTests
{
    public static TheoryData<string> ContentKinds => ["string", "bytes", "stream", "multipart", "json"];

    [Theory]
    [MemberData(nameof(ContentKinds))]
    public async Task SendAsync_RetriedBody_IsSentIdenticallyOnEveryAttempt(string kind)
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK));
        var request = new HttpRequestMessage(HttpMethod.Put, "http://example.test/upload") { Content = CreateContent(kind) };

        using var response = await harness.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, harness.Inner.Sent.Count);
        var first = harness.Inner.Sent[0];
        Assert.NotEmpty(first.Body!);
        Assert.All(harness.Inner.Sent.Skip(1), sent =>
        {
            Assert.Equal(first.Body, sent.Body);
            Assert.Equal(first.ContentType, sent.ContentType);
            Assert.NotSame(first.Message.Content, sent.Message.Content);
        });
        if (kind == "multipart")
        {
            Assert.StartsWith("multipart/form-data; boundary=", first.ContentType, StringComparison.Ordinal);
            Assert.Contains("field-value", Encoding.UTF8.GetString(first.Body!), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_BodyOverTheReplayLimit_IsSentOnceWhole(bool lengthKnown)
    {
        using var harness = new HandlerHarness(ScriptedHandler.Always(HttpStatusCode.ServiceUnavailable), o => o.MaxReplayableBodySize = 1_000);
        var payload = Enumerable.Range(0, 5_000).Select(i => (byte)i).ToArray();
        HttpContent content = lengthKnown
            ? new ByteArrayContent(payload)
            : new StreamContent(new NonSeekableStream(payload));
        var request = new HttpRequestMessage(HttpMethod.Put, "http://example.test/upload") { Content = content };

        using var response = await harness.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(payload, Assert.Single(harness.Inner.Sent).Body);
        Assert.Equal(RetryStopReason.BodyNotReplayable, response.GetRetryHistory()!.StopReason);
    }

    [Fact]
    public async Task SendAsync_PushContentOverTheReplayLimit_IsSentOnceWhole()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Always(HttpStatusCode.ServiceUnavailable), o => o.MaxReplayableBodySize = 1_000);
        var payload = Enumerable.Range(0, 500).Select(i => $"item-{i}").ToArray();
        var request = new HttpRequestMessage(HttpMethod.Put, "http://example.test/upload") { Content = System.Net.Http.Json.JsonContent.Create(payload) };

        using var response = await harness.SendAsync(request);

        var sent = Assert.Single(harness.Inner.Sent);
        Assert.Equal(payload, System.Text.Json.JsonSerializer.Deserialize<string[]>(sent.Body));
        Assert.Equal(RetryStopReason.BodyNotReplayable, response.GetRetryHistory()!.StopReason);
    }

    [Fact]
    public async Task SendAsync_BodyAtTheReplayLimit_IsRetried()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), o => o.MaxReplayableBodySize = 1_000);
        var payload = new byte[1_000];
        var request = new HttpRequestMessage(HttpMethod.Put, "http://example.test/upload") { Content = new StreamContent(new NonSeekableStream(payload)) };

        using var response = await harness.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task SendAsync_NonIdempotentMethod_IsNotRetriedByDefault(string method)
    {
        using var harness = new HandlerHarness(ScriptedHandler.Always(HttpStatusCode.ServiceUnavailable));
        var request = new HttpRequestMessage(new HttpMethod(method), "http://example.test/orders") { Content = new StringContent("{}") };

        using var response = await harness.SendAsync(request);

        Assert.Single(harness.Inner.Sent);
        Assert.Equal(RetryStopReason.MethodNotIdempotent, response.GetRetryHistory()!.StopReason);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task SendAsync_IdempotentMethod_IsRetried(string method)
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));

        using var response = await harness.SendAsync(new HttpRequestMessage(new HttpMethod(method), "http://example.test/orders/1"));

        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task SendAsync_PostWithIdempotencyKey_IsRetried()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created));
        var request = new HttpRequestMessage(HttpMethod.Post, "http://example.test/orders") { Content = new StringContent("{}") };
        request.Headers.Add("Idempotency-Key", "8e03978e-40d5-43e8-bc93-6894a57f9324");

        using var response = await harness.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, harness.Inner.Sent.Count);
        Assert.All(harness.Inner.Sent, s => Assert.Equal("8e03978e-40d5-43e8-bc93-6894a57f9324", s.Message.Headers.GetValues("Idempotency-Key").Single()));
    }

    [Fact]
    public async Task SendAsync_PostWhenOptedIn_IsRetried()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created), o => o.RetryNonIdempotentMethods = true);
        var request = new HttpRequestMessage(HttpMethod.Post, "http://example.test/orders") { Content = new StringContent("{}") };

        using var response = await harness.SendAsync(request);

        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task SendAsync_PostAfterConnectionReset_IsNotRetried()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Throws(
            () => new HttpRequestException(HttpRequestError.ConnectionError, "reset", new SocketException((int)SocketError.ConnectionReset))));
        var request = new HttpRequestMessage(HttpMethod.Post, "http://example.test/orders") { Content = new StringContent("{}") };

        var error = await Assert.ThrowsAsync<RepriseRequestException>(() => harness.SendAsync(request));

        Assert.Equal(RetryStopReason.MethodNotIdempotent, error.StopReason);
        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public async Task SendAsync_PostRefusedOverARealSocket_IsRetriedBecauseItNeverLeft()
    {
        // A port that was just free on 127.0.0.1: connecting to it is refused, so the POST provably never left.
        var port = FreeLoopbackPort();
        using var client = new HttpClient(new RepriseHandler(new SocketsHttpHandler(), new RepriseOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, MaxAttempts = 3 }));

        var error = await Assert.ThrowsAsync<RepriseRequestException>(
            () => client.PostAsync(new Uri($"http://127.0.0.1:{port}/orders"), new StringContent("{}")));

        Assert.Equal(RetryStopReason.AttemptsExhausted, error.StopReason);
        Assert.Equal(3, error.History.Attempts.Count);
        Assert.All(error.History.Attempts, a => Assert.Equal("connection_refused", a.ErrorType));
        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static HttpContent CreateContent(string kind) => kind switch
    {
        "string" => new StringContent("hello, world", Encoding.UTF8, "text/plain"),
        "bytes" => new ByteArrayContent([1, 2, 3, 4, 5]) { Headers = { ContentType = new("application/octet-stream") } },
        "stream" => new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes("streamed body"))),
        "multipart" => new MultipartFormDataContent
        {
            { new StringContent("field-value"), "field" },
            { new ByteArrayContent([9, 8, 7]), "file", "data.bin" },
        },
        "json" => System.Net.Http.Json.JsonContent.Create(new { id = 7, name = "seven" }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A stream that can be read once, like a network or pipe stream.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
