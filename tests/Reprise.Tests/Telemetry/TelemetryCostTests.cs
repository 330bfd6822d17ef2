using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Telemetry;

namespace Reprise.Tests.Telemetry;

/// <summary>Telemetry nobody listens to must cost no allocation: every method checks for a listener first.</summary>
[Collection(ActivityListenerCollection.Name)]
public class TelemetryCostTests
{
    [Fact]
    public void TelemetryMethods_NobodyListens_AllocateNothing()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = RepriseTelemetry.Create(new RepriseTelemetryOptions(), services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), NullLoggerFactory.Instance);
        var scene = new Scene();

        Exercise(telemetry, scene);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Exercise(telemetry, scene);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TelemetryMethods_SomeoneListens_Record()
    {
        // The counterpart of the test above: the same calls do work once a collector listens, so zero is not vacuous.
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var telemetry = RepriseTelemetry.Create(new RepriseTelemetryOptions(), meterFactory, NullLoggerFactory.Instance);
        using var attempts = new MetricCollector<long>(meterFactory, "Reprise", "reprise.attempts");
        var scene = new Scene();

        var before = GC.GetAllocatedBytesForCurrentThread();
        Exercise(telemetry, scene);

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before > 0);
        Assert.Single(attempts.GetMeasurementSnapshot());
    }

    private static void Exercise(RepriseTelemetry telemetry, Scene scene)
    {
        var activity = telemetry.StartAttempt(scene.Method, scene.Uri, 2);
        telemetry.AttemptEnded(activity, scene.Method, scene.Uri, scene.Record, AttemptOutcome.Retryable);
        telemetry.Retrying(scene.Method, scene.Uri, scene.Record, StatusCodeSet.Default);
        telemetry.RequestEnded(scene.Method, scene.Uri, scene.History);
        IHostObserver observer = telemetry;
        observer.OnPaused("http://example.test:80", TimeSpan.FromSeconds(1));
        observer.OnRetryThrottled("http://example.test:80");
        observer.OnCircuitChanged("http://example.test:80", HostCircuitState.Closed, HostCircuitState.Open);
    }

    private sealed class Scene
    {
        public Scene()
        {
            Record = new AttemptRecord(1, HttpStatusCode.ServiceUnavailable, null, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5))
            {
                Delay = TimeSpan.FromSeconds(1),
                DelaySource = RetryWaitSource.Backoff,
            };
            History = new RetryHistory { StopReason = RetryStopReason.AttemptsExhausted };
            History.Add(Record);
        }

        public Uri Uri { get; } = new("http://example.test/items?token=1");

        public HttpMethod Method { get; } = HttpMethod.Get;

        public AttemptRecord Record { get; }

        public RetryHistory History { get; }
    }
}
