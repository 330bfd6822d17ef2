namespace Reprise.Hosts;

/// <summary>
/// The observers of one registry's hosts, heard as one: each hears every event, in the order they were attached. One
/// observer per sink: two telemetries that report to the same meters and logs would count each event twice.
/// </summary>
/// <remarks>Immutable: attaching builds a new list, so events read it without a lock.</remarks>
internal sealed class HostObservers : IHostObserver
{
    private readonly IHostObserver[] _observers;
    private readonly object[] _sinks;

    private HostObservers(IHostObserver[] observers, object[] sinks)
    {
        _observers = observers;
        _sinks = sinks;
    }

    /// <summary>Adds <paramref name="observer"/> unless an observer that reports to an equal <paramref name="sink"/> is there already.</summary>
    /// <param name="current">The observers so far, or null.</param>
    /// <param name="observer">The observer to add.</param>
    /// <param name="sink">Where the observer reports to, compared with <see cref="object.Equals(object)"/>.</param>
    /// <returns>The observers to hear events from now on; <paramref name="current"/> when nothing was added.</returns>
    public static HostObservers Add(HostObservers? current, IHostObserver observer, object sink)
    {
        if (current is null)
        {
            return new HostObservers([observer], [sink]);
        }

        return Array.Exists(current._sinks, known => known.Equals(sink))
            ? current
            : new HostObservers([.. current._observers, observer], [.. current._sinks, sink]);
    }

    public void OnPaused(string host, TimeSpan pause)
    {
        foreach (var observer in _observers)
        {
            observer.OnPaused(host, pause);
        }
    }

    public void OnRetryThrottled(string host)
    {
        foreach (var observer in _observers)
        {
            observer.OnRetryThrottled(host);
        }
    }

    public void OnCircuitChanged(string host, HostCircuitState from, HostCircuitState to)
    {
        foreach (var observer in _observers)
        {
            observer.OnCircuitChanged(host, from, to);
        }
    }
}
