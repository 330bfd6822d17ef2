using System.Net;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests;

public class RepriseHandlerMessageTests
{
    [Fact]
    public async Task SendAsync_EachAttempt_SendsAFreshCopyOfTheRequest()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));
        var key = new HttpRequestOptionsKey<string>("tenant");
        var request = new HttpRequestMessage(HttpMethod.Put, "http://example.test/items/1")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new StringContent("{\"a\":1}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Custom", ["one", "two"]);
        request.Headers.Authorization = new("Bearer", "token");
        request.Options.Set(key, "acme");

        using var response = await harness.SendAsync(request);

        Assert.Equal(2, harness.Inner.Sent.Count);
        Assert.NotSame(harness.Inner.Sent[0].Message, harness.Inner.Sent[1].Message);
        Assert.All(harness.Inner.Sent, sent =>
        {
            Assert.NotSame(request, sent.Message);
            Assert.Equal(HttpMethod.Put, sent.Message.Method);
            Assert.Equal(request.RequestUri, sent.Message.RequestUri);
            Assert.Equal(HttpVersion.Version20, sent.Message.Version);
            Assert.Equal(HttpVersionPolicy.RequestVersionOrLower, sent.Message.VersionPolicy);
            Assert.Equal(["one", "two"], sent.Message.Headers.GetValues("X-Custom"));
            Assert.Equal("Bearer token", sent.Message.Headers.Authorization!.ToString());
            Assert.True(sent.Message.Options.TryGetValue(key, out var tenant) && tenant == "acme");
            Assert.Equal("{\"a\":1}"u8.ToArray(), sent.Body);
            Assert.Equal("application/json; charset=utf-8", sent.ContentType);
        });
        Assert.Same(request, response.RequestMessage);
    }

    [Fact]
    public async Task SendAsync_RequestWithoutBody_SendsTheCallersMessageFirstAndAFreshCopyOnRetry()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));
        var key = new HttpRequestOptionsKey<string>("tenant");
        var request = new HttpRequestMessage(HttpMethod.Get, "http://example.test/items/1") { Version = HttpVersion.Version20 };
        request.Headers.TryAddWithoutValidation("X-Custom", ["one", "two"]);
        request.Options.Set(key, "acme");

        using var response = await harness.SendAsync(request);

        Assert.Equal(2, harness.Inner.Sent.Count);
        Assert.Same(request, harness.Inner.Sent[0].Message);
        var retry = harness.Inner.Sent[1].Message;
        Assert.NotSame(request, retry);
        Assert.Equal(HttpMethod.Get, retry.Method);
        Assert.Equal(request.RequestUri, retry.RequestUri);
        Assert.Equal(HttpVersion.Version20, retry.Version);
        Assert.Equal(["one", "two"], retry.Headers.GetValues("X-Custom"));
        Assert.True(retry.Options.TryGetValue(key, out var tenant) && tenant == "acme");
        Assert.Null(retry.Content);
        Assert.Same(request, response.RequestMessage);
    }

    [Fact]
    public async Task SendAsync_InnerHandlerChangesTheFirstMessage_RetrySendsTheRequestAsGiven()
    {
        // What a redirect or a header-adding handler below Reprise does to the message it sends must not carry over.
        var key = new HttpRequestOptionsKey<string>("added");
        var inner = new ScriptedHandler((attempt, message, _) =>
        {
            if (attempt == 1)
            {
                message.RequestUri = new Uri("http://elsewhere.test/moved");
                message.Method = HttpMethod.Head;
                message.Headers.Add("X-Added", "by the inner handler");
                message.Options.Set(key, "by the inner handler");
            }

            return Task.FromResult(new HttpResponseMessage(attempt == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK));
        });
        using var harness = new HandlerHarness(inner);
        var request = new HttpRequestMessage(HttpMethod.Get, "http://example.test/items/1");

        using var response = await harness.SendAsync(request);

        var retry = harness.Inner.Sent[1].Message;
        Assert.Equal(HttpMethod.Get, retry.Method);
        Assert.Equal(new Uri("http://example.test/items/1"), retry.RequestUri);
        Assert.False(retry.Headers.Contains("X-Added"));
        Assert.False(retry.Options.TryGetValue(key, out _));
        Assert.Equal(2, response.GetRetryHistory()!.Attempts.Count);
    }

    [Fact]
    public async Task SendAsync_IdempotencyKeyOnTheRequest_AllowsRetryingAPostWithoutBody()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));
        var request = new HttpRequestMessage(HttpMethod.Post, "http://example.test/orders");
        request.Headers.Add("Idempotency-Key", "8e03978e-40d5-43e8-bc93-6894a57f9324");

        using var response = await harness.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Inner.Sent.Count);
        Assert.Equal("8e03978e-40d5-43e8-bc93-6894a57f9324", harness.Inner.Sent[1].Message.Headers.GetValues("Idempotency-Key").Single());
    }

    [Fact]
    public async Task SendAsync_DiscardedResponses_AreDisposedAndTheLastIsNot()
    {
        ScriptedHandler inner = null!;
        inner = new ScriptedHandler((_, _, _) => Task.FromResult(inner.Tracked(HttpStatusCode.BadGateway)));
        using var harness = new HandlerHarness(inner);

        using var response = await harness.GetAsync();

        Assert.Equal(4, inner.Contents.Count);
        Assert.Equal(3, inner.Contents.Count(c => c.Disposed));
        Assert.False(inner.Contents[^1].Disposed);
        Assert.Equal("body", await response.Content.ReadAsStringAsync());
    }
}
