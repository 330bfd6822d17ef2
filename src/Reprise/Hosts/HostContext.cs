namespace Reprise.Hosts;

/// <summary>What every host state of one registry shares: options, clock and random source.</summary>
internal sealed class HostContext
{
    public HostContext(HostCoordinationOptions options, TimeProvider timeProvider, Func<double> random)
    {
        Options = options;
        TimeProvider = timeProvider;
        Random = random;
        Origin = timeProvider.GetTimestamp();
    }

    public HostCoordinationOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Gets a source of uniform doubles in [0, 1): injectable so tests pin every draw.</summary>
    public Func<double> Random { get; }

    /// <summary>Gets the timestamp all times of this registry are measured from.</summary>
    public long Origin { get; }

    /// <summary>Gets the time since the registry was created: monotonic, from <see cref="TimeProvider"/>.</summary>
    public TimeSpan Now => TimeProvider.GetElapsedTime(Origin);

    /// <summary>Gets or sets who hears state changes of this registry's hosts (telemetry); null for nobody.</summary>
    public IHostObserver? Observer { get; set; }

    public DateTimeOffset ToUtc(TimeSpan time) => TimeProvider.GetUtcNow() + (time - Now);
}
