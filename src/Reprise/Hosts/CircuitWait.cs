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

    /// <summary>
    /// Gets the record once the request is granted an attempt: none, unless the attempt is the circuit's probe. A waiter
    /// sent as the probe goes on with the wait it began (its probe is one of its attempts, not a failed probe on its
    /// behalf): started afresh after each of its probes, a request the circuit kept picking as its probe waited a whole
    /// new budget each time (a host that never answers: one URL ended at 22-25 s where its own attempts took 18 s).
    /// </summary>
    /// <param name="isProbe">Whether the attempt granted is the circuit's probe.</param>
    public CircuitWait AfterGrant(bool isProbe)
        => isProbe && IsWaiting ? new CircuitWait(FailedProbesAtStart + 1, StartedAt) : None;
}
