using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Reprise.Hosts;
using Reprise.Hosts.Evidence;
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
        HostRegistry? registry = null;
        using var harness = new HandlerHarness(ScriptedHandler.Statuses(HttpStatusCode.OK), probe.Configure, time => registry = new HostRegistry(new HostCoordinationOptions(), time));
        using var warmUp = await harness.GetAsync();

        // A throttle the host takes as its own (one reported without a URL's history; a URL's own 429 pauses nobody).
        using var permit = registry!.GetState(new Uri("http://example.test/items")).TryAcquire(isRetry: false);
        permit.Complete(HostSignal.Throttled, TimeSpan.FromSeconds(2));

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
        HostRegistry? registry = null;
        using var harness = new HandlerHarness(
            ScriptedHandler.Statuses(HttpStatusCode.OK),
            probe.Configure,
            time => registry = new HostRegistry(new HostCoordinationOptions { CircuitBreakerFailureThreshold = 2, RetryThrottlingEnabled = false }, time));

        // Two failing URLs (each failing again) open the circuit; the handler's request is its probe and closes it.
        var host = registry!.GetState(new Uri("http://example.test/items"));
        for (long key = 1; key <= 2; key++)
        {
            foreach (var history in new[] { UrlHistory.First(key), new UrlHistory(key, 2, HostSignal.Failed, AfterOwnWait: false, TimeSpan.Zero) })
            {
                using var failed = host.TryAcquire(isRetry: history.AlreadySent, retryAlreadyCounted: false, history);
                failed.Complete(HostSignal.Failed, null);
            }
        }

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
