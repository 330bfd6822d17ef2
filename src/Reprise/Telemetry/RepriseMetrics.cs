using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Reprise.Hosts;

namespace Reprise.Telemetry;

/// <summary>
/// The instruments of one <see cref="Meter"/> named <c>Reprise</c>: one set per meter factory (dependency injection),
/// or one for the process. Every recording method is cheap when nobody listens: it checks the instrument first.
/// </summary>
internal sealed class RepriseMetrics
{
    public const string MeterName = "Reprise";

    private static readonly ConditionalWeakTable<IMeterFactory, RepriseMetrics> ByFactory = new();
    private static readonly Lazy<RepriseMetrics> SharedInstance = new(static () => new RepriseMetrics(new Meter(MeterName, Version)));

    // Bucket boundaries, in seconds, that resolve retry waits and host pauses from 10 ms to the 1 minute caps.
    private static readonly double[] WaitBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly List<(WeakReference<HostRegistry> Registry, string? Name)> _registries = [];

    private RepriseMetrics(Meter meter)
    {
        Meter = meter;
        Attempts = meter.CreateCounter<long>("reprise.attempts", "{attempt}", "Attempts sent, by how they ended.");
        Retries = meter.CreateCounter<long>("reprise.retries", "{retry}", "Retries scheduled, by reason.");
        RetryDelay = meter.CreateHistogram(
            "reprise.retry.delay", "s", "Waits before a retry, by source (backoff or the server's Retry-After).", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBoundaries });
        Requests = meter.CreateCounter<long>("reprise.requests", "{request}", "Requests that ended, by why no further attempt was made.");
        HostPauses = meter.CreateHistogram(
            "reprise.host.pause.duration", "s", "Pauses of a whole host on a server's Retry-After; the count is the number of pauses.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBoundaries });
        RetryBudgetRefusals = meter.CreateCounter<long>("reprise.host.retry_budget.refusals", "{retry}", "Retries held back by a host's retry budget.");
        CircuitTransitions = meter.CreateCounter<long>("reprise.host.circuit.transitions", "{transition}", "Changes of a host's circuit state, by the state entered.");
        meter.CreateObservableGauge("reprise.host.concurrency.limit", ObserveConcurrencyLimits, "{request}", "The adaptive in-flight limit of each tracked host.");
        meter.CreateObservableGauge("reprise.host.send_rate", ObserveSendRates, "{request}/s", "The adapted send rate of each host that throttled, while one is engaged.");
    }

    /// <summary>Gets the process-wide instruments, on a static meter, for handlers built without a meter factory.</summary>
    public static RepriseMetrics Shared => SharedInstance.Value;

    public Meter Meter { get; }

    public Counter<long> Attempts { get; }

    public Counter<long> Retries { get; }

    public Histogram<double> RetryDelay { get; }

    public Counter<long> Requests { get; }

    public Histogram<double> HostPauses { get; }

    public Counter<long> RetryBudgetRefusals { get; }

    public Counter<long> CircuitTransitions { get; }

    private static string? Version => typeof(RepriseMetrics).Assembly.GetName().Version?.ToString();

    /// <summary>Gets the instruments of the meter that <paramref name="meterFactory"/> makes, created once per factory.</summary>
    public static RepriseMetrics For(IMeterFactory? meterFactory)
        => meterFactory is null
            ? Shared
            : ByFactory.GetValue(meterFactory, static factory => new RepriseMetrics(factory.Create(new MeterOptions(MeterName) { Version = Version })));

    /// <summary>Adds a registry whose hosts the gauges report; held weakly, so a dropped registry just disappears.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">Its name under dependency injection (the <c>reprise.host_registry</c> tag), or null.</param>
    public void Track(HostRegistry registry, string? name)
    {
        lock (_registries)
        {
            _registries.RemoveAll(static entry => !entry.Registry.TryGetTarget(out _));
            foreach (var entry in _registries)
            {
                if (entry.Registry.TryGetTarget(out var known) && ReferenceEquals(known, registry))
                {
                    return;
                }
            }

            _registries.Add((new WeakReference<HostRegistry>(registry), name));
        }
    }

    private IEnumerable<Measurement<int>> ObserveConcurrencyLimits()
    {
        var measurements = new List<Measurement<int>>();
        foreach (var (snapshot, name) in Snapshots())
        {
            measurements.Add(new Measurement<int>(snapshot.ConcurrencyLimit, HostTags(snapshot, name)));
        }

        return measurements;
    }

    private IEnumerable<Measurement<double>> ObserveSendRates()
    {
        var measurements = new List<Measurement<double>>();
        foreach (var (snapshot, name) in Snapshots())
        {
            if (snapshot.Rate is { } rate)
            {
                measurements.Add(new Measurement<double>(rate, HostTags(snapshot, name)));
            }
        }

        return measurements;
    }

    private static TagList HostTags(HostSnapshot snapshot, string? registryName)
    {
        var (address, port) = TelemetryTags.SplitHostKey(snapshot.Host);
        var tags = new TagList
        {
            { TelemetryTags.ServerAddress, address },
            { TelemetryTags.ServerPort, port },
        };
        if (registryName is not null)
        {
            tags.Add(TelemetryTags.HostRegistry, registryName);
        }

        return tags;
    }

    private List<(HostSnapshot Snapshot, string? Name)> Snapshots()
    {
        List<(HostRegistry Registry, string? Name)> registries = [];
        lock (_registries)
        {
            foreach (var entry in _registries)
            {
                if (entry.Registry.TryGetTarget(out var registry))
                {
                    registries.Add((registry, entry.Name));
                }
            }
        }

        var snapshots = new List<(HostSnapshot, string?)>();
        foreach (var (registry, name) in registries)
        {
            foreach (var snapshot in registry.GetSnapshots())
            {
                snapshots.Add((snapshot, name));
            }
        }

        return snapshots;
    }
}
