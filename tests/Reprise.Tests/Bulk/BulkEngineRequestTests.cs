using System.Net;
using Reprise.Bulk;
using Reprise.Retry;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

public class BulkEngineRequestTests
{
    [Fact]
    public async Task RunAsync_PostOn503_IsNotRetriedWithoutAnIdempotencyKey()
    {
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time, ("http://a.test/orders", [HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK]));
        using var engine = Engine(handler, time);
        var plain = new BulkRequest("http://a.test/orders") { Method = HttpMethod.Post, Body = "{}"u8.ToArray(), ContentType = "application/json" };

        var result = Assert.Single(await engine.RunAsync(new[] { plain }.AsAsync()).CollectAsync());

        Assert.Equal(RetryStopReason.MethodNotIdempotent, result.StopReason);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task RunAsync_MethodHeadersAndBody_AreSentOnEveryAttempt()
    {
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time, ("http://a.test/orders", [HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK]));
        using var engine = Engine(handler, time);
        var request = new BulkRequest("http://a.test/orders")
        {
            Method = HttpMethod.Post,
            Headers = [new("Idempotency-Key", "k1"), new("X-Trace", "t"), new("Content-Language", "en")],
            Body = "{\"n\":1}"u8.ToArray(),
            ContentType = "application/json",
        };

        var result = Assert.Single(await engine.RunAsync(new[] { request }.AsAsync()).CollectAsync());

        Assert.Equal(BulkOutcome.Succeeded, result.Outcome);
        Assert.Equal(2, handler.Log.Count);
        Assert.All(handler.Log, sent =>
        {
            Assert.Equal(HttpMethod.Post, sent.Method);
            Assert.Equal("k1", sent.Headers["Idempotency-Key"]);
            Assert.Equal("t", sent.Headers["X-Trace"]);
            Assert.Equal("{\"n\":1}", System.Text.Encoding.UTF8.GetString(sent.Body!));
            Assert.Equal("application/json", sent.ContentType);
        });
    }

    [Theory]
    [InlineData("Bad Name", "v", "The header 'Bad Name' is not a valid header name.")]
    [InlineData("X-Split", "a\r\nInjected: 1", "The header 'X-Split' has no name or a value with a line break or NUL.")]
    public async Task RunAsync_InvalidHeader_IsInvalidInputAndNothingIsSent(string name, string value, string expected)
    {
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time);
        using var engine = Engine(handler, time);
        var request = new BulkRequest("http://a.test/x") { Headers = [new(name, value)] };

        var result = Assert.Single(await engine.RunAsync(new[] { request }.AsAsync()).CollectAsync());

        Assert.Equal(BulkOutcome.InvalidInput, result.Outcome);
        Assert.Equal(expected, result.Error);
        Assert.Empty(handler.Log);
    }
}
