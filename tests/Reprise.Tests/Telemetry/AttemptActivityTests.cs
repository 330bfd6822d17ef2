using System.Diagnostics;
using System.Net;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests.Telemetry;

[Collection(ActivityListenerCollection.Name)]
public sealed class AttemptActivityTests : IDisposable
{
    private readonly ActivityRecorder _recorder = new();

    [Fact]
    public async Task SendAsync_EachAttempt_IsAnActivityWithItsResendCount()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK));
        using var parent = new Activity("caller").Start();

        using var response = await harness.GetAsync("http://activities.test/items?token=s3cret");

        var attempts = Stopped("activities.test");
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.Equal("reprise.attempt", a.OperationName);
            Assert.Equal(ActivityKind.Internal, a.Kind);
            Assert.Equal(parent.SpanId, a.ParentSpanId);
            Assert.Equal("GET", a.GetTagItem("http.request.method"));
            Assert.Equal(80, a.GetTagItem("server.port"));
            Assert.Equal("http://activities.test/items", a.GetTagItem("url.full"));
        });
        Assert.Equal([null, 1, 2], attempts.Select(a => a.GetTagItem("http.request.resend_count")));
        Assert.Equal([503, 502, 200], attempts.Select(a => a.GetTagItem("http.response.status_code")));
        Assert.Equal(["503", "502", null], attempts.Select(a => a.GetTagItem("error.type")));
        Assert.Equal([ActivityStatusCode.Error, ActivityStatusCode.Error, ActivityStatusCode.Unset], attempts.Select(a => a.Status));
        Assert.Same(parent, Activity.Current);
    }

    [Fact]
    public async Task SendAsync_TransportError_TagsTheErrorType()
    {
        using var harness = new HandlerHarness(new ScriptedHandler((attempt, _, _) => attempt == 1
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ResponseEnded, "cut"))
            : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK))));

        using var response = await harness.GetAsync("http://activity-errors.test/");

        var first = Stopped("activity-errors.test")[0];
        Assert.Equal("response_ended", first.GetTagItem("error.type"));
        Assert.Equal("retryable", first.GetTagItem("reprise.attempt.outcome"));
        Assert.Null(first.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task SendAsync_UrlOptedOut_TagsNoUrl()
    {
        using var harness = new HandlerHarness(ScriptedHandler.Always(HttpStatusCode.OK), o => o.Telemetry.IncludeUrl = false);

        using var response = await harness.GetAsync("http://activity-nourl.test/private/path");

        var attempt = Assert.Single(Stopped("activity-nourl.test"));
        Assert.Null(attempt.GetTagItem("url.full"));
    }

    public void Dispose() => _recorder.Dispose();

    private List<Activity> Stopped(string host) => _recorder.StoppedFor(host);
}
