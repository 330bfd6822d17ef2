using System.Net;
using Microsoft.Extensions.Logging;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests.Telemetry;

public class HandlerLogTests
{
    [Fact]
    public async Task SendAsync_RetriesExhausted_LogsDebugPerAttemptInformationPerRetryAndOneWarning()
    {
        using var probe = new TelemetryProbe();
        using var harness = new HandlerHarness(ScriptedHandler.Always(HttpStatusCode.ServiceUnavailable), o =>
        {
            probe.Configure(o);
            o.MaxAttempts = 3;
        });

        using var response = await harness.GetAsync();

        var logs = probe.Logs.GetSnapshot();
        Assert.Equal(3, logs.Count(l => l.Id.Name == "AttemptEnded" && l.Level == LogLevel.Debug));
        Assert.Equal(2, logs.Count(l => l.Id.Name == "RetryScheduled" && l.Level == LogLevel.Information));
        var warning = Assert.Single(logs, l => l.Level >= LogLevel.Warning);
        Assert.Equal("RetriesExhausted", warning.Id.Name);
        Assert.Equal("Reprise.RepriseHandler", warning.Category);
        Assert.Equal("GET http://example.test/items gave up after 3 attempt(s) in 1500 ms (attempts_exhausted); the last ended with 503", warning.Message);
        Assert.Equal("3", warning.GetStructuredStateValue("Attempts"));
    }

    [Fact]
    public async Task SendAsync_RetryThenSuccess_LogsNoWarning()
    {
        using var probe = new TelemetryProbe();
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), probe.Configure);

        using var response = await harness.GetAsync();

        var logs = probe.Logs.GetSnapshot();
        Assert.DoesNotContain(logs, l => l.Level >= LogLevel.Warning);
        var retry = Assert.Single(logs, l => l.Id.Name == "RetryScheduled");
        Assert.Equal("Retrying GET http://example.test/items after attempt 1 ended with 503 (status_code): waiting 500 ms (backoff)", retry.Message);
    }

    [Fact]
    public async Task SendAsync_PostNotRetried_LogsInformationNotWarning()
    {
        using var probe = new TelemetryProbe();
        using var harness = new HandlerHarness(ScriptedHandler.Always(HttpStatusCode.ServiceUnavailable), probe.Configure);

        using var response = await harness.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://example.test/orders") { Content = new StringContent("{}") });

        var logs = probe.Logs.GetSnapshot();
        Assert.DoesNotContain(logs, l => l.Level >= LogLevel.Warning);
        var notRetried = Assert.Single(logs, l => l.Id.Name == "RetryNotAllowed");
        Assert.Equal(LogLevel.Information, notRetried.Level);
        Assert.Equal("POST http://example.test/orders was not retried after 503 (method_not_idempotent)", notRetried.Message);
    }

    [Fact]
    public async Task SendAsync_LevelAboveDebug_WritesNoAttemptLogs()
    {
        using var probe = new TelemetryProbe(LogLevel.Information);
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), probe.Configure);

        using var response = await harness.GetAsync();

        var logs = probe.Logs.GetSnapshot();
        Assert.DoesNotContain(logs, l => l.Id.Name == "AttemptEnded");
        Assert.Single(logs, l => l.Id.Name == "RetryScheduled");
    }

    [Theory]
    [InlineData(false, false, "http://example.test")]
    [InlineData(true, false, "http://example.test/items/7")]
    [InlineData(true, true, "http://example.test/items/7?api_key=s3cret")]
    public async Task SendAsync_SecretsInUrlAndHeaders_AppearOnlyAsTheUserOptsIn(bool includeUrl, bool includeQuery, string expectedUrl)
    {
        using var probe = new TelemetryProbe();
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), o =>
        {
            probe.Configure(o);
            o.Telemetry.IncludeUrl = includeUrl;
            o.Telemetry.IncludeUrlQuery = includeQuery;
        });
        var request = new HttpRequestMessage(HttpMethod.Get, "http://user:hunter2@example.test/items/7?api_key=s3cret");
        request.Headers.Authorization = new("Bearer", "t0ken");

        using var response = await harness.SendAsync(request);

        var logs = probe.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.All(logs, l => Assert.Equal(expectedUrl, l.GetStructuredStateValue("Url")));
        var everything = string.Join("\n", logs.SelectMany(l => l.StructuredState!.Select(kv => kv.Value).Append(l.Message)));
        Assert.DoesNotContain("hunter2", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("t0ken", everything, StringComparison.Ordinal);
        Assert.Equal(includeQuery, everything.Contains("s3cret", StringComparison.Ordinal));
    }
}
