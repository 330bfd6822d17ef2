using System.Net;
using Reprise.Bulk;
using Reprise.Retry;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

public class BulkEngineResultTests
{
    [Fact]
    public async Task RunAsync_MixedInput_YieldsExactlyOneResultPerInput()
    {
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time, ("http://a.test/missing", [HttpStatusCode.NotFound]));
        using var engine = Engine(handler, time);
        string[] urls = ["http://a.test/1", "not a url", "http://a.test/missing", "ftp://a.test/file", "/relative/path", "", "https://b.test/2", "http://"];

        var results = await engine.RunAsync(Urls(urls)).CollectAsync();

        Assert.Equal(urls.Order(), results.Select(r => r.Url).Order());
        var byUrl = results.ToDictionary(r => r.Url);
        Assert.Equal(BulkOutcome.Succeeded, byUrl["http://a.test/1"].Outcome);
        Assert.Equal(BulkOutcome.Succeeded, byUrl["https://b.test/2"].Outcome);
        Assert.Equal(BulkOutcome.Failed, byUrl["http://a.test/missing"].Outcome);
        foreach (var invalid in new[] { "not a url", "ftp://a.test/file", "/relative/path", "", "http://" })
        {
            Assert.Equal(BulkOutcome.InvalidInput, byUrl[invalid].Outcome);
            Assert.Equal(0, byUrl[invalid].Attempts);
            Assert.NotNull(byUrl[invalid].Error);
            Assert.Equal(invalid, byUrl[invalid].Id);
        }

        Assert.Equal("The URL's scheme must be http or https; it is ftp.", byUrl["ftp://a.test/file"].Error);
        Assert.Equal("The URL's scheme must be http or https; it is file.", byUrl["/relative/path"].Error);
        Assert.Equal(3, handler.Log.Count);
        var progress = engine.GetProgress();
        Assert.Equal((8, 8, 2, 1, 5, 0), (progress.Read, progress.Done, progress.Succeeded, progress.Failed, progress.InvalidInput, progress.InFlight));
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, 4)]
    [InlineData(HttpStatusCode.TooManyRequests, 4)]
    [InlineData(HttpStatusCode.InternalServerError, 4)]
    [InlineData(HttpStatusCode.BadGateway, 4)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 4)]
    [InlineData(HttpStatusCode.GatewayTimeout, 4)]
    [InlineData(HttpStatusCode.BadRequest, 1)]
    [InlineData(HttpStatusCode.Forbidden, 1)]
    [InlineData(HttpStatusCode.NotFound, 1)]
    [InlineData(HttpStatusCode.NotImplemented, 1)]
    public async Task RunAsync_FinalFailureStatus_IsRetriedOnlyWhenInTheDefaultSet(HttpStatusCode status, int expectedAttempts)
    {
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time, ("http://a.test/x", [status]));
        using var engine = Engine(handler, time);

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/x")).CollectAsync());

        Assert.Equal(BulkOutcome.Failed, result.Outcome);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(expectedAttempts, result.Attempts);
        Assert.Equal(expectedAttempts, handler.AttemptsOf("http://a.test/x"));
        Assert.Equal(expectedAttempts == 1 ? RetryStopReason.Completed : RetryStopReason.AttemptsExhausted, result.StopReason);
    }

    [Fact]
    public async Task RunAsync_NotFound_FailsAtOnceNamingTheStatus()
    {
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time, ("http://a.test/gone", [HttpStatusCode.NotFound]));
        using var engine = Engine(handler, time);

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/gone")).CollectAsync());

        Assert.Equal("HTTP 404 Not Found", result.Error);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(RetryStopReason.Completed, result.StopReason);
    }

    [Fact]
    public async Task RunAsync_AttemptsExhausted_SaysSoWithTheLastStatus()
    {
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time, ("http://a.test/down", [HttpStatusCode.ServiceUnavailable]));
        using var engine = Engine(handler, time, o => o.Retry.MaxAttempts = 3);

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/down")).CollectAsync());

        Assert.Equal("Gave up after 3 attempt(s); the last: HTTP 503 Service Unavailable.", result.Error);
    }

    [Fact]
    public async Task RunAsync_FailuresThenSuccess_SucceedsWithTheWholeHistory()
    {
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time, ("http://a.test/flaky", [HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK]));
        using var engine = Engine(handler, time);

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/flaky")).CollectAsync());

        Assert.Equal(BulkOutcome.Succeeded, result.Outcome);
        Assert.True(result.IsSuccess);
        Assert.Null(result.Error);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK], result.History.Attempts.Select(a => a.StatusCode!.Value));
        Assert.Equal(RetryStopReason.Completed, result.StopReason);
        Assert.Equal(2, engine.GetProgress().RetriesSent);
        Assert.Equal(0, engine.GetProgress().Retrying);
    }

    [Fact]
    public async Task RunAsync_TransportError_IsRetriedThenReported()
    {
        var time = NewClock();
        var handler = new BulkTestHandler(time, (_, _, _, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection reset")));
        using var engine = Engine(handler, time, o => o.Retry.MaxAttempts = 2);

        var result = Assert.Single(await engine.RunAsync(Urls("http://a.test/x")).CollectAsync());

        Assert.Equal(BulkOutcome.Failed, result.Outcome);
        Assert.Null(result.StatusCode);
        Assert.Equal(2, result.Attempts);
        Assert.Equal("Gave up after 2 attempt(s); the last: connection_error (Connection reset).", result.Error);
    }
}
