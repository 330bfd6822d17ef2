using System.Net;
using System.Net.Sockets;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests;

public class RepriseHandlerTests
{
    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, 4)]
    [InlineData(HttpStatusCode.TooManyRequests, 4)]
    [InlineData(HttpStatusCode.InternalServerError, 4)]
    [InlineData(HttpStatusCode.BadGateway, 4)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 4)]
    [InlineData(HttpStatusCode.GatewayTimeout, 4)]
    [InlineData(HttpStatusCode.OK, 1)]
    [InlineData(HttpStatusCode.NoContent, 1)]
    [InlineData(HttpStatusCode.BadRequest, 1)]
    [InlineData(HttpStatusCode.Unauthorized, 1)]
    [InlineData(HttpStatusCode.Forbidden, 1)]
    [InlineData(HttpStatusCode.NotFound, 1)]
    [InlineData(HttpStatusCode.NotImplemented, 1)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported, 1)]
    public async Task SendAsync_Status_IsRetriedOnlyWhenInTheDefaultSet(HttpStatusCode status, int expectedAttempts)
    {
        using var harness = new HandlerHarness(ScriptedHandler.Always(status));

        using var response = await harness.GetAsync();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(expectedAttempts, harness.Inner.Sent.Count);
        var history = response.GetRetryHistory()!;
        Assert.Equal(expectedAttempts, history.Attempts.Count);
        Assert.Equal(expectedAttempts == 1 ? RetryStopReason.Completed : RetryStopReason.AttemptsExhausted, history.StopReason);
    }

    [Fact]
    public async Task SendAsync_FailuresThenSuccess_ReturnsTheSuccessWithItsHistory()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK));

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var history = response.GetRetryHistory()!;
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK], history.Attempts.Select(a => a.StatusCode!.Value));
        Assert.Equal(RetryStopReason.Completed, history.StopReason);

        // Full jitter pinned at 0.5: half of 1 s, then half of 2 s.
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.Zero], history.Attempts.Select(a => a.Delay));
        Assert.All(history.Attempts.Take(2), a => Assert.Equal(RetryWaitSource.Backoff, a.DelaySource));
    }

    [Fact]
    public async Task SendAsync_CustomRetryOn_RetriesOnlyThoseStatuses()
    {
        using var harness = new HandlerHarness(
            ScriptedHandler.Statuses(HttpStatusCode.NotImplemented, HttpStatusCode.OK),
            o => o.RetryOn = StatusCodeSet.Parse("429,500-504"));

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.Inner.Sent.Count);
    }

    [Fact]
    public async Task SendAsync_CallerPredicate_AddsItsOwnRule()
    {
        var seen = new List<int>();
        using var harness = new HandlerHarness(
            ScriptedHandler.Statuses(HttpStatusCode.NotFound, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK),
            o => o.ShouldRetry = args =>
            {
                seen.Add(args.AttemptNumber);
                return args.Response?.StatusCode == HttpStatusCode.NotFound;
            });

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, harness.Inner.Sent.Count);
        Assert.Equal([1, 3], seen); // asked only where the status set did not already decide
    }

    [Fact]
    public async Task SendAsync_TransportFailuresExhaustAttempts_ThrowsHttpRequestExceptionWithHistory()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Throws(
            () => new HttpRequestException(HttpRequestError.ConnectionError, "reset", new SocketException((int)SocketError.ConnectionReset))));

        var error = await Assert.ThrowsAsync<RepriseRequestException>(() => harness.GetAsync());

        Assert.IsAssignableFrom<HttpRequestException>(error);
        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal(RetryStopReason.AttemptsExhausted, error.StopReason);
        Assert.Equal(4, error.History.Attempts.Count);
        Assert.All(error.History.Attempts, a =>
        {
            Assert.Null(a.StatusCode);
            Assert.Equal("connection_reset", a.ErrorType);
            Assert.IsType<HttpRequestException>(a.Exception);
        });
        Assert.Equal([RetryWaitSource.Backoff, RetryWaitSource.Backoff, RetryWaitSource.Backoff, RetryWaitSource.None], error.History.Attempts.Select(a => a.DelaySource));
    }

    [Fact]
    public async Task SendAsync_UnexpectedException_IsNotRetriedAndPropagatesAsIs()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Throws(() => new InvalidOperationException("bug")));

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.GetAsync());

        Assert.Single(harness.Inner.Sent);
    }

    [Fact]
    public void Send_Synchronous_RetriesThroughTheSamePath()
    {
        using var harness = new HandlerHarness(
            ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), o => (o.BaseDelay, o.MaxDelay) = (TimeSpan.Zero, TimeSpan.Zero));
        var request = new HttpRequestMessage(HttpMethod.Get, "http://example.test/");

        using var response = harness.Client.Send(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, request.GetRetryHistory()!.Count);
    }

    [Fact]
    public async Task SendAsync_OptionsChangedAfterConstruction_KeepsTheOptionsItWasBuiltWith()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));
        harness.Options.MaxAttempts = 1;

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => new RepriseHandler(new RepriseOptions { MaxAttempts = 0 }));

        Assert.Equal("MaxAttempts: The field RepriseOptions.MaxAttempts must be between 1 and 100.", error.Message);
    }
}
