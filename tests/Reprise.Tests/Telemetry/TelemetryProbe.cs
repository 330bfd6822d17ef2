using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Reprise.Tests.Telemetry;

/// <summary>
/// A meter factory and a logger factory of a test's own: collectors see only what this test's handlers record,
/// whatever runs in parallel.
/// </summary>
internal sealed class TelemetryProbe : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IDisposable> _collectors = [];

    public TelemetryProbe(LogLevel minimumLevel = LogLevel.Trace)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        MeterFactory = _services.GetRequiredService<IMeterFactory>();
        Logs = new FakeLogCollector();
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimumLevel)
            .AddProvider(new FakeLoggerProvider(Logs)));
    }

    public IMeterFactory MeterFactory { get; }

    public ILoggerFactory LoggerFactory { get; }

    public FakeLogCollector Logs { get; }

    /// <summary>Points the options' telemetry at this probe.</summary>
    public void Configure(RepriseOptions options)
    {
        options.Telemetry.MeterFactory = MeterFactory;
        options.Telemetry.LoggerFactory = LoggerFactory;
    }

    public MetricCollector<T> Collect<T>(string instrument)
        where T : struct
    {
        var collector = new MetricCollector<T>(MeterFactory, "Reprise", instrument);
        _collectors.Add(collector);
        return collector;
    }

    public void Dispose()
    {
        foreach (var collector in _collectors)
        {
            collector.Dispose();
        }

        LoggerFactory.Dispose();
        _services.Dispose();
    }
}
