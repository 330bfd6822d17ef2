namespace Reprise.Hosts;

/// <summary>
/// When a request began to wait for its host's open circuit, on the registry's clock, and how many probes had failed
/// then (<see cref="HostState.CircuitWaitExhausted"/>).
/// </summary>
internal readonly record struct CircuitWait(int FailedProbesAtStart, TimeSpan StartedAt)
{
    /// <summary>
    /// Gets whether the request waited as long as its attempts would have taken with no probe failed in the last of them,
    /// and had the host probed: a probe it is granted now is its last try (<see cref="HostPermit.IsLastTry"/>).
    /// </summary>
    public bool LastTryDue { get; init; }

    /// <summary>Gets the record of a request not waiting for an open circuit.</summary>
    public static CircuitWait None => new(-1, TimeSpan.Zero);

    /// <summary>Gets whether the request is waiting.</summary>
    public bool IsWaiting => FailedProbesAtStart >= 0;
}
