using System.Net;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests;

/// <summary>Edge cases a review of the request path turned up; each failed before its fix.</summary>
public class RepriseHandlerEdgeTests
{
    [Fact]
    public async Task SendAsync_InnerHandlersOwnTimeout_IsRetriedAsATimeout()
    {
        var inner = new ScriptedHandler((attempt, _, _) => attempt == 1
            ? Task.FromException<HttpResponseMessage>(new TaskCanceledException("connect timed out", new TimeoutException()))
            : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        using var harness = new HandlerHarness(inner);

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("timeout", response.GetRetryHistory()!.Attempts[0].ErrorType);
    }

    [Fact]
    public async Task SendAsync_ResponseWithoutContent_KeepsItsContentHeadersEmpty()
    {
        // Buffering a final body asks its length; a response without content has none to ask, and used to get a
        // Content-Length of 0 stored in its headers.
        using var harness = new HandlerHarness(ScriptedHandler.Always(HttpStatusCode.NoContent));
        using var invoker = new HttpMessageInvoker(harness.Handler, disposeHandler: false);

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://example.test/"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(response.Content.Headers.NonValidated);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsAndInnerReportsATransportError_SurfacesAsTheCallersCancellation()
    {
        using var cts = new CancellationTokenSource();
        var inner = new ScriptedHandler((_, _, _) =>
        {
            cts.Cancel();
            return Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "aborted"));
        });
        using var harness = new HandlerHarness(inner);
        var request = new HttpRequestMessage(HttpMethod.Get, "http://example.test/");

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new HttpMessageInvoker(harness.Handler).SendAsync(request, cts.Token));

        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Single(harness.Inner.Sent);
        Assert.Equal(RetryStopReason.Cancelled, request.GetRetryHistory()!.StopReason);
    }

    [Theory]
    [InlineData(HttpRequestError.SecureConnectionError)]
    [InlineData(HttpRequestError.UserAuthenticationError)]
    [InlineData(HttpRequestError.ConfigurationLimitExceeded)]
    public async Task SendAsync_ErrorThatRepeatsEveryTime_IsNotRetried(HttpRequestError kind)
    {
        using var harness = new HandlerHarness(ScriptedHandler.Throws(() => new HttpRequestException(kind, "no")));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => harness.GetAsync());

        Assert.Equal(kind, error.HttpRequestError);
        Assert.Single(harness.Inner.Sent);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotImplemented, "Accepted")]
    [InlineData(HttpStatusCode.HttpVersionNotSupported, "Accepted")]
    [InlineData(HttpStatusCode.InternalServerError, "Failed")]
    [InlineData(HttpStatusCode.TooManyRequests, "Throttled")]
    [InlineData(HttpStatusCode.NotFound, "Accepted")]
    public void SignalOf_Status_SaysWhatItMeansForTheHost(HttpStatusCode status, string expected)
    {
        using var response = new HttpResponseMessage(status);

        Assert.Equal(Enum.Parse<HostSignal>(expected), AttemptClassifier.SignalOf(response));
    }
}
