using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Reprise.Bulk;
using Reprise.Hosts;
using Reprise.Tests.Telemetry;
using Reprise.Tests.TestSupport;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

/// <summary>The bulk engine reports through the same meter, logs and host observer as the handler.</summary>
public class BulkTelemetryTests
{
    [Fact]
    public async Task RunAsync_FailuresThenSuccess_CountsEachAttemptRetryAndRequestEnd()
    {
        using var probe = new TelemetryProbe();
        var attempts = probe.Collect<long>("reprise.attempts");
        var retries = probe.Collect<long>("reprise.retries");
        var delays = probe.Collect<double>("reprise.retry.delay");
        var requests = probe.Collect<long>("reprise.requests");
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(
            time,
            ("http://flaky.test/x", [HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK]),
            ("http://missing.test/y", [HttpStatusCode.NotFound]));
        using var engine = Engine(handler, time, o => probe.Configure(o.Retry));

        await engine.RunAsync(Urls("http://flaky.test/x", "http://missing.test/y", "not a url")).CollectAsync();

        var flaky = attempts.GetMeasurementSnapshot().Where(m => Equals(m.Tags["server.address"], "flaky.test")).ToList();
        Assert.Equal(["retryable", "retryable", "final"], flaky.Select(m => m.Tags["reprise.attempt.outcome"]));
        Assert.Equal([503, 502, 200], flaky.Select(m => m.Tags["http.response.status_code"]));
        Assert.All(flaky, m => Assert.Equal(("GET", 80), (m.Tags["http.request.method"], m.Tags["server.port"])));
        Assert.Equal("503", flaky[0].Tags["error.type"]);
        Assert.Equal("final", Assert.Single(attempts.GetMeasurementSnapshot(), m => Equals(m.Tags["server.address"], "missing.test")).Tags["reprise.attempt.outcome"]);

        Assert.Equal(2, retries.GetMeasurementSnapshot().Count);
        Assert.All(retries.GetMeasurementSnapshot(), m => Assert.Equal(("flaky.test", "status_code"), (m.Tags["server.address"], m.Tags["reprise.retry.reason"])));
        Assert.Equal(2, delays.GetMeasurementSnapshot().Count);
        Assert.All(delays.GetMeasurementSnapshot(), m => Assert.Equal("backoff", m.Tags["reprise.retry.delay_source"]));

        // One end per request sent; an input that never became a request (a malformed URL) is not a request.
        var ends = requests.GetMeasurementSnapshot().OrderBy(m => (string)m.Tags["server.address"]!, StringComparer.Ordinal).ToList();
        Assert.Equal(["flaky.test", "missing.test"], ends.Select(m => m.Tags["server.address"]));
        Assert.Equal(["completed", "completed"], ends.Select(m => m.Tags["reprise.stop_reason"]));
        Assert.Equal([200, 404], ends.Select(m => m.Tags["http.response.status_code"]));
    }

    [Fact]
    public async Task RunAsync_RetryAfterOfOneUrl_RecordsTheServersWaitAndNoHostPause()
    {
        using var probe = new TelemetryProbe();
        var delays = probe.Collect<double>("reprise.retry.delay");
        var pauses = probe.Collect<double>("reprise.host.pause.duration");
        var time = NewClock();
        var handler = new BulkTestHandler(time, (_, attempt, _, _) =>
        {
            var response = new HttpResponseMessage(attempt == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
            if (attempt == 1)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
            }

            return Task.FromResult(response);
        });

        // Host coordination on: the engine's telemetry is the registry's observer, so the pause is reported too.
        using var engine = new BulkEngine(handler, Options(o => probe.Configure(o.Retry)), new HostRegistry(time), time);

        var run = engine.RunAsync(Urls("http://paused.test/x")).CollectAsync();
        await WaitUntilAsync(() => engine.GetProgress().WaitingForRetry == 1);
        for (var step = 0; !run.IsCompleted; step++)
        {
            // After the pause the host may still spread or pace its waiters: the clock moves on until the retry is sent.
            Assert.True(step < 10_000, "The retry was never sent.");
            time.AdvanceInline(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(run, Task.Delay(1));
        }

        var result = Assert.Single(await run);

        Assert.Equal((BulkOutcome.Succeeded, 2), (result.Outcome, result.Attempts));
        var delay = Assert.Single(delays.GetMeasurementSnapshot());
        Assert.Equal((2.0, "retry_after"), (delay.Value, delay.Tags["reprise.retry.delay_source"]));
        // One URL's Retry-After is its own (issue 12): the host is not paused for it.
        Assert.Empty(pauses.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task RunAsync_Cancelled_CountsTheAttemptAndTheRequestAsCancelled()
    {
        using var probe = new TelemetryProbe();
        var attempts = probe.Collect<long>("reprise.attempts");
        var requests = probe.Collect<long>("reprise.requests");
        var time = NewClock();
        using var cancellation = new CancellationTokenSource();
        var handler = new BulkTestHandler(time, (_, _, _, token) =>
        {
            cancellation.Cancel();
            return BulkTestHandler.Hang(token);
        });
        using var engine = Engine(handler, time, o => probe.Configure(o.Retry));

        var result = Assert.Single(await engine.RunAsync(Urls("http://hang.test/x"), cancellation.Token).CollectAsync());

        Assert.Equal(BulkOutcome.Cancelled, result.Outcome);
        Assert.Equal("cancelled", Assert.Single(attempts.GetMeasurementSnapshot()).Tags["reprise.attempt.outcome"]);
        Assert.Equal("cancelled", Assert.Single(requests.GetMeasurementSnapshot()).Tags["reprise.stop_reason"]);
    }

    [Fact]
    public async Task RunAsync_RetriesExhausted_LogsDebugPerAttemptInformationPerRetryAndOneWarning()
    {
        using var probe = new TelemetryProbe();
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time, ("http://down.test/items", [HttpStatusCode.ServiceUnavailable]));
        using var engine = Engine(handler, time, o =>
        {
            probe.Configure(o.Retry);
            o.Retry.MaxAttempts = 3;
        });

        await engine.RunAsync(Urls("http://down.test/items", "http://ok.test/items")).CollectAsync();

        var logs = probe.Logs.GetSnapshot();
        Assert.All(logs, l => Assert.Equal("Reprise.Bulk.BulkEngine", l.Category));
        Assert.Equal(4, logs.Count(l => l.Id.Name == "AttemptEnded" && l.Level == LogLevel.Debug));
        Assert.Equal(
            ["Retrying GET http://down.test/items after attempt 1 ended with 503 (status_code): waiting 0 ms (backoff)",
             "Retrying GET http://down.test/items after attempt 2 ended with 503 (status_code): waiting 0 ms (backoff)"],
            logs.Where(l => l.Id.Name == "RetryScheduled" && l.Level == LogLevel.Information).Select(l => l.Message));
        var warning = Assert.Single(logs, l => l.Level >= LogLevel.Warning);
        Assert.Equal("GET http://down.test/items gave up after 3 attempt(s) in 0 ms (attempts_exhausted); the last ended with 503", warning.Message);
    }

    [Theory]
    [InlineData(false, false, "http://example.test")]
    [InlineData(true, false, "http://example.test/items/7")]
    [InlineData(true, true, "http://example.test/items/7?api_key=s3cret")]
    public async Task RunAsync_SecretsInUrlAndHeaders_AppearOnlyAsTheUserOptsIn(bool includeUrl, bool includeQuery, string expectedUrl)
    {
        using var probe = new TelemetryProbe();
        var time = NewClock();
        const string url = "http://user:hunter2@example.test/items/7?api_key=s3cret";
        var handler = BulkTestHandler.Scripted(time, (url, [HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK]));
        using var engine = Engine(handler, time, o =>
        {
            probe.Configure(o.Retry);
            o.Retry.Telemetry.IncludeUrl = includeUrl;
            o.Retry.Telemetry.IncludeUrlQuery = includeQuery;
        });
        var request = new BulkRequest(url) { Headers = [new("Authorization", "Bearer t0ken")] };

        var result = Assert.Single(await engine.RunAsync(new[] { request }.AsAsync()).CollectAsync());

        Assert.Equal(2, result.Attempts);
        var logs = probe.Logs.GetSnapshot();
        Assert.Equal(3, logs.Count);
        Assert.All(logs, l => Assert.Equal(expectedUrl, l.GetStructuredStateValue("Url")));
        var everything = string.Join("\n", logs.SelectMany(l => l.StructuredState!.Select(kv => kv.Value).Append(l.Message)));
        Assert.DoesNotContain("hunter2", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("t0ken", everything, StringComparison.Ordinal);
        Assert.Equal(includeQuery, everything.Contains("s3cret", StringComparison.Ordinal));
    }
}
