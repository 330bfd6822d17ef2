using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests.Telemetry;

public class HostTelemetryTests
{
    [Fact]
    public async Task RetryAfter_PausesTheHost_RecordsThePauseInSeconds()
    {
        using var probe = new TelemetryProbe();
        var pauses = probe.Collect<double>("reprise.host.pause.duration");
        var inner = new ScriptedHandler((attempt, _, _) =>
        {
            var response = new HttpResponseMessage(attempt == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
            if (attempt == 1)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
            }

            return Task.FromResult(response);
        });
        using var harness = new HandlerHarness(inner, probe.Configure);

        using var response = await harness.GetAsync();

        var pause = Assert.Single(pauses.GetMeasurementSnapshot());
        Assert.Equal(2.0, pause.Value);
        Assert.Equal("example.test", pause.Tags["server.address"]);
        Assert.Equal(80, pause.Tags["server.port"]);
        Assert.Single(probe.Logs.GetSnapshot(), l => l.Id.Name == "HostPaused" && l.Category == "Reprise.Hosts.HostRegistry");
    }

    [Fact]
    public async Task FailuresOpenTheCircuit_ProbeClosesIt_CountsEachTransition()
    {
        using var probe = new TelemetryProbe();
        var transitions = probe.Collect<long>("reprise.host.circuit.transitions");
        using var harness = new HandlerHarness(
            ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK),
            probe.Configure,
            time => new HostRegistry(new HostCoordinationOptions { CircuitBreakerFailureThreshold = 2, RetryThrottlingEnabled = false }, time));

        using var response = await harness.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["open", "half_open", "closed"], transitions.GetMeasurementSnapshot().Select(m => m.Tags["reprise.circuit.state"]));
        Assert.Equal(
            ["Host http://example.test:80 circuit closed -> open", "Host http://example.test:80 circuit open -> half_open", "Host http://example.test:80 circuit half_open -> closed"],
            probe.Logs.GetSnapshot().Where(l => l.Id.Name == "CircuitChanged").Select(l => l.Message));
    }

    [Fact]
    public async Task RetryBudgetRefusesARetry_FailFast_CountsTheRefusalAndWarns()
    {
        using var probe = new TelemetryProbe();
        var refusals = probe.Collect<long>("reprise.host.retry_budget.refusals");
        var requests = probe.Collect<long>("reprise.requests");
        var options = new HostCoordinationOptions
        {
            FailFastWhenRetryThrottled = true,
            RetryThrottlingFreeRequests = 0,
            CircuitBreakerEnabled = false,
        };
        using var harness = new HandlerHarness(
            ScriptedHandler.Always(HttpStatusCode.ServiceUnavailable),
            probe.Configure,
            time => new HostRegistry(options, time, random: () => 0.0));

        var error = await Assert.ThrowsAsync<RepriseRequestException>(() => harness.GetAsync());

        Assert.Equal(RetryStopReason.RetryBudgetExhausted, error.StopReason);
        Assert.Equal("example.test", Assert.Single(refusals.GetMeasurementSnapshot()).Tags["server.address"]);
        Assert.Equal("retry_budget_exhausted", Assert.Single(requests.GetMeasurementSnapshot()).Tags["reprise.stop_reason"]);
        Assert.Single(probe.Logs.GetSnapshot(), l => l.Level == LogLevel.Warning && l.Id.Name == "RetriesExhausted");
    }

    [Fact]
    public async Task ConcurrencyLimitGauge_ReportsEachTrackedHost()
    {
        using var probe = new TelemetryProbe();
        var limits = probe.Collect<int>("reprise.host.concurrency.limit");
        using var harness = new HandlerHarness(
            ScriptedHandler.Always(HttpStatusCode.OK),
            probe.Configure,
            time => new HostRegistry(new HostCoordinationOptions { MaxConcurrency = 7 }, time));

        using var first = await harness.GetAsync("http://a.test/");
        using var second = await harness.GetAsync("http://b.test:8080/");
        limits.RecordObservableInstruments();

        var measurements = limits.GetMeasurementSnapshot();
        Assert.Equal(["a.test:80", "b.test:8080"], measurements.Select(m => $"{m.Tags["server.address"]}:{m.Tags["server.port"]}").Order());
        Assert.All(measurements, m => Assert.Equal(7, m.Value));
    }

    [Fact]
    public void Observe_SeveralTelemetriesShareARegistry_EachSinkHearsEachEventOnce()
    {
        using var first = new TelemetryProbe();
        using var second = new TelemetryProbe();
        var firstPauses = first.Collect<double>("reprise.host.pause.duration");
        var secondPauses = second.Collect<double>("reprise.host.pause.duration");
        var registry = new HostRegistry(new HostCoordinationOptions(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        foreach (var probe in new[] { first, second, first })
        {
            Reprise.Telemetry.RepriseTelemetry.Create(null, probe.MeterFactory, probe.LoggerFactory).Observe(registry);
        }

        using var permit = registry.GetState(new Uri("http://example.test/")).TryAcquire(isRetry: false);
        permit.Complete(HostSignal.Throttled, TimeSpan.FromSeconds(2));

        Assert.Single(firstPauses.GetMeasurementSnapshot());
        Assert.Single(secondPauses.GetMeasurementSnapshot());
        Assert.Single(second.Logs.GetSnapshot(), l => l.Id.Name == "HostPaused");
    }

    [Fact]
    public void SplitHostKey_IPv6_DropsTheBrackets()
    {
        Assert.Equal(("::1", 8080), Reprise.Telemetry.TelemetryTags.SplitHostKey("http://[::1]:8080"));
        Assert.Equal(("example.test", 443), Reprise.Telemetry.TelemetryTags.SplitHostKey("https://example.test:443"));
    }
}
