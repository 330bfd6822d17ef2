using System.Diagnostics;
using System.Net;
using Reprise.Bulk;
using Reprise.Tests.TestSupport;
using Reprise.Tests.Telemetry;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

[Collection(ActivityListenerCollection.Name)]
public sealed class BulkActivityTests : IDisposable
{
    private readonly ActivityRecorder _recorder = new();

    [Fact]
    public async Task RunAsync_EachAttempt_IsAnActivityWithItsResendCount()
    {
        var time = NewClock();
        const string url = "http://bulk-activities.test/items?token=s3cret";
        var handler = BulkTestHandler.Scripted(time, (url, [HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK]));
        using var engine = Engine(handler, time);
        using var parent = new Activity("ingestion").Start();

        var result = Assert.Single(await engine.RunAsync(Urls(url)).CollectAsync());

        Assert.Equal(3, result.Attempts);
        var attempts = Stopped("bulk-activities.test");
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a =>
        {
            Assert.Equal("reprise.attempt", a.OperationName);
            Assert.Equal(parent.TraceId, a.TraceId);
            Assert.Equal("GET", a.GetTagItem("http.request.method"));
            Assert.Equal("http://bulk-activities.test/items", a.GetTagItem("url.full"));
        });
        Assert.Equal([null, 1, 2], attempts.Select(a => a.GetTagItem("http.request.resend_count")));
        Assert.Equal([503, 502, 200], attempts.Select(a => a.GetTagItem("http.response.status_code")));
        Assert.Equal([ActivityStatusCode.Error, ActivityStatusCode.Error, ActivityStatusCode.Unset], attempts.Select(a => a.Status));
        Assert.Same(parent, Activity.Current);
    }

    public void Dispose() => _recorder.Dispose();

    private List<Activity> Stopped(string host) => _recorder.StoppedFor(host);
}
