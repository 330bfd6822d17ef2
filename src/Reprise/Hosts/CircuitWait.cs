namespace Reprise.Hosts;

/// <summary>
/// When a request began to wait for its host's open circuit, on the registry's clock, and how many probes had failed
/// then (<see cref="HostState.CircuitWaitExhausted"/>).
/// </summary>
internal readonly record struct CircuitWait(int FailedProbesAtStart, TimeSpan StartedAt)
{
    /// <summary>Gets the record of a request not waiting for an open circuit.</summary>
    public static CircuitWait None => new(-1, TimeSpan.Zero);

    /// <summary>Gets whether the request is waiting.</summary>
    public bool IsWaiting => FailedProbesAtStart >= 0;
}
