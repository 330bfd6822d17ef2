using Reprise.Timing;

namespace Reprise.Hosts;

/// <summary>What every host state of one registry shares: options, clock and random source.</summary>
internal sealed class HostContext
{
    public HostContext(HostCoordinationOptions options, RegistryClock clock, Func<double> random)
    {
        Options = options;
        Clock = clock;
        Random = random;
    }

    public HostCoordinationOptions Options { get; }

    /// <summary>Gets the registry's clock: every host gate computes in its time.</summary>
    public RegistryClock Clock { get; }

    /// <summary>Gets the clock's time source, for the host states' timers and delays.</summary>
    public TimeProvider TimeProvider => Clock.Provider;

    /// <summary>Gets a source of uniform doubles in [0, 1): injectable so tests pin every draw.</summary>
    public Func<double> Random { get; }

    /// <summary>Gets the registry time now (<see cref="RegistryClock.Now"/>).</summary>
    public TimeSpan Now => Clock.Now;

    /// <summary>Gets or sets who hears state changes of this registry's hosts (telemetry); null for nobody.</summary>
    public IHostObserver? Observer { get; set; }

    /// <summary>Gets the wall-clock time at a registry time (<see cref="RegistryClock.ToUtc"/>).</summary>
    public DateTimeOffset ToUtc(TimeSpan time) => Clock.ToUtc(time);
}
