namespace Reprise.Hosts;

/// <summary>The state of a host's circuit breaker.</summary>
public enum HostCircuitState
{
    /// <summary>Requests flow normally.</summary>
    Closed,

    /// <summary>The host failed too often in a row: requests wait until the next probe shows it has recovered.</summary>
    Open,

    /// <summary>A single probe request is testing the host; everything else waits for its outcome.</summary>
    HalfOpen,
}
