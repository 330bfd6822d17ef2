namespace Reprise.Hosts;

/// <summary>
/// Per-host state shared by every request that uses this registry: handlers and bulk engines that share a
/// registry share what they learn about each host.
/// </summary>
public sealed class HostRegistry
{
    private readonly HostState _state = new();

    /// <summary>Initializes a new instance of the <see cref="HostRegistry"/> class.</summary>
    /// <param name="timeProvider">The time source; <see cref="TimeProvider.System"/> when null.</param>
    public HostRegistry(TimeProvider? timeProvider = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the time source of this registry.</summary>
    public TimeProvider TimeProvider { get; }

    internal HostState GetState(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return _state;
    }
}
