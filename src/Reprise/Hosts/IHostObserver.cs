namespace Reprise.Hosts;

/// <summary>
/// Hears the changes of a host's shared state that telemetry reports: pauses, retry-budget refusals and circuit
/// transitions. Called under the host's lock: an observer must be quick, must not block and must not call back into
/// the registry.
/// </summary>
internal interface IHostObserver
{
    /// <summary>A server's Retry-After paused (or extended the pause of) every request to the host.</summary>
    /// <param name="host">The host as scheme://host:port.</param>
    /// <param name="pause">The pause, capped by <see cref="HostCoordinationOptions.MaxPause"/>.</param>
    void OnPaused(string host, TimeSpan pause);

    /// <summary>The retry throttle held a retry back (counted once per retry, whether it then waits or fails fast).</summary>
    /// <param name="host">The host as scheme://host:port.</param>
    void OnRetryThrottled(string host);

    /// <summary>The host's circuit changed state.</summary>
    /// <param name="host">The host as scheme://host:port.</param>
    /// <param name="from">The state it left.</param>
    /// <param name="to">The state it entered.</param>
    void OnCircuitChanged(string host, HostCircuitState from, HostCircuitState to);
}
