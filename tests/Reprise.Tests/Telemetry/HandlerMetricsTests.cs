using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests.Telemetry;

public class HandlerMetricsTests
{
    [Fact]
    public async Task SendAsync_FailuresThenSuccess_CountsEachAttemptWithItsOutcome()
    {
        using var probe = new TelemetryProbe();
        var attempts = probe.Collect<long>("reprise.attempts");
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), probe.Configure);

        using var response = await harness.GetAsync();

        var measurements = attempts.GetMeasurementSnapshot();
        Assert.Equal(3, measurements.Count);
        Assert.All(measurements, m =>
        {
            Assert.Equal(1, m.Value);
            Assert.Equal("example.test", m.Tags["server.address"]);
            Assert.Equal(80, m.Tags["server.port"]);
            Assert.Equal("GET", m.Tags["http.request.method"]);
        });
        Assert.Equal(["retryable", "retryable", "final"], measurements.Select(m => m.Tags["reprise.attempt.outcome"]));
        Assert.Equal([503, 503, 200], measurements.Select(m => m.Tags["http.response.status_code"]));
        Assert.Equal("503", measurements[0].Tags["error.type"]);
        Assert.False(measurements[2].Tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task SendAsync_Retries_RecordsTheirReasonAndWaitInSeconds()
    {
        using var probe = new TelemetryProbe();
        var retries = probe.Collect<long>("reprise.retries");
        var delays = probe.Collect<double>("reprise.retry.delay");
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK), probe.Configure);

        using var response = await harness.GetAsync();

        Assert.Equal(2, retries.GetMeasurementSnapshot().Count);
        Assert.All(retries.GetMeasurementSnapshot(), m => Assert.Equal("status_code", m.Tags["reprise.retry.reason"]));

        // Full jitter pinned at 0.5: half of 1 s, then half of 2 s.
        Assert.Equal([0.5, 1.0], delays.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.All(delays.GetMeasurementSnapshot(), m => Assert.Equal("backoff", m.Tags["reprise.retry.delay_source"]));
        Assert.Equal("s", delays.Instrument!.Unit);
    }

    [Fact]
    public async Task SendAsync_RetryAfter_RecordsTheServersWaitAsItsSource()
    {
        using var probe = new TelemetryProbe();
        var delays = probe.Collect<double>("reprise.retry.delay");
        var inner = new ScriptedHandler((attempt, _, _) =>
        {
            var response = new HttpResponseMessage(attempt == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
            if (attempt == 1)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
            }

            return Task.FromResult(response);
        });
        using var harness = new HandlerHarness(inner, probe.Configure);

        using var response = await harness.GetAsync();

        var delay = Assert.Single(delays.GetMeasurementSnapshot());
        Assert.Equal(3.0, delay.Value);
        Assert.Equal("retry_after", delay.Tags["reprise.retry.delay_source"]);
    }

    public static TheoryData<string, string> RetryReasons => new()
    {
        { "503", "status_code" },
        { "timeout", "timeout" },
        { "refused", "transport_error" },
        { "404-by-predicate", "custom" },
    };

    [Theory]
    [MemberData(nameof(RetryReasons))]
    public async Task SendAsync_RetryReason_NamesWhyTheAttemptWasRetried(string failure, string expectedReason)
    {
        using var probe = new TelemetryProbe();
        var retries = probe.Collect<long>("reprise.retries");
        var inner = new ScriptedHandler((attempt, _, cancellationToken) => attempt > 1
            ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK))
            : failure switch
            {
                "503" => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)),
                "timeout" => ScriptedHandler.Hang(cancellationToken),
                "refused" => Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "refused")),
                _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)),
            });
        using var harness = new HandlerHarness(inner, o =>
        {
            probe.Configure(o);
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.ShouldRetry = args => args.Response?.StatusCode == HttpStatusCode.NotFound;
        });

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedReason, Assert.Single(retries.GetMeasurementSnapshot()).Tags["reprise.retry.reason"]);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, 1, "completed")]
    [InlineData(HttpStatusCode.NotFound, 1, "completed")]
    [InlineData(HttpStatusCode.ServiceUnavailable, 4, "attempts_exhausted")]
    public async Task SendAsync_RequestEnds_CountsItOnceWithItsStopReason(HttpStatusCode status, int attempts, string stopReason)
    {
        using var probe = new TelemetryProbe();
        var requests = probe.Collect<long>("reprise.requests");
        using var harness = new HandlerHarness(ScriptedHandler.Always(status), probe.Configure);

        using var response = await harness.GetAsync();

        Assert.Equal(attempts, response.GetRetryHistory()!.Attempts.Count);
        var request = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal(stopReason, request.Tags["reprise.stop_reason"]);
        Assert.Equal((int)status, request.Tags["http.response.status_code"]);
    }

    [Fact]
    public async Task SendAsync_TransportFailuresExhausted_CountsTheRequestWithTheErrorType()
    {
        using var probe = new TelemetryProbe();
        var requests = probe.Collect<long>("reprise.requests");
        using var harness = new HandlerHarness(
            ScriptedHandler.Throws(() => new HttpRequestException(HttpRequestError.ResponseEnded, "cut")), probe.Configure);

        await Assert.ThrowsAsync<RepriseRequestException>(() => harness.GetAsync());

        var request = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal("attempts_exhausted", request.Tags["reprise.stop_reason"]);
        Assert.Equal("response_ended", request.Tags["error.type"]);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_CountsTheAttemptAndTheRequestAsCancelled()
    {
        using var probe = new TelemetryProbe();
        var attempts = probe.Collect<long>("reprise.attempts");
        var requests = probe.Collect<long>("reprise.requests");
        using var cts = new CancellationTokenSource();
        var inner = new ScriptedHandler((_, _, token) =>
        {
            cts.Cancel();
            return ScriptedHandler.Hang(token);
        });
        using var harness = new HandlerHarness(inner, probe.Configure);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://example.test/"), cancellationToken: cts.Token));

        Assert.Equal("cancelled", Assert.Single(attempts.GetMeasurementSnapshot()).Tags["reprise.attempt.outcome"]);
        Assert.Equal("cancelled", Assert.Single(requests.GetMeasurementSnapshot()).Tags["reprise.stop_reason"]);
    }

    [Fact]
    public async Task SendAsync_UnknownMethod_IsTaggedAsOther()
    {
        using var probe = new TelemetryProbe();
        var attempts = probe.Collect<long>("reprise.attempts");
        using var harness = new HandlerHarness(ScriptedHandler.Always(HttpStatusCode.OK), probe.Configure);

        using var response = await harness.SendAsync(new HttpRequestMessage(new HttpMethod("PURGE"), "http://example.test/"));

        Assert.Equal("_OTHER", Assert.Single(attempts.GetMeasurementSnapshot()).Tags["http.request.method"]);
    }

    [Fact]
    public async Task SendAsync_NoMeterFactory_RecordsOnTheProcessWideMeter()
    {
        using var attempts = new MetricCollector<long>(null, "Reprise", "reprise.attempts");
        using var harness = new HandlerHarness(ScriptedHandler.Always(HttpStatusCode.OK));
        var url = $"http://static-meter-{Guid.NewGuid():N}.test/";

        using var response = await harness.GetAsync(url);

        Assert.Single(attempts.GetMeasurementSnapshot(), m => Equals(m.Tags["server.address"], new Uri(url).Host));
    }
}
