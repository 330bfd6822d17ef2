namespace Reprise.Hosts;

/// <summary>
/// What a request waiting for a host can afford: the longest known wait it may start (its deadline), and the attempts it
/// has left, which bound how long it waits for an open circuit (<see cref="Evidence.FailureEvidence.WaiterExhausted"/>).
/// </summary>
/// <param name="MaxWait">The longest pause or open circuit the request may wait out; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
/// <param name="AttemptsLeft">The attempts the request has left, this one included; 0 when the circuit wait is not bounded by them.</param>
/// <param name="AttemptTimeout">How long one of those attempts may take.</param>
internal readonly record struct HostWaitBudget(TimeSpan MaxWait, int AttemptsLeft, TimeSpan AttemptTimeout)
{
    /// <summary>Gets a budget with no deadline and no bound on the circuit wait.</summary>
    public static HostWaitBudget Unbounded => new(Timeout.InfiniteTimeSpan, 0, Timeout.InfiniteTimeSpan);

    /// <summary>Gets a budget with a deadline only.</summary>
    public static HostWaitBudget Within(TimeSpan maxWait) => new(maxWait, 0, Timeout.InfiniteTimeSpan);

    /// <summary>Gets whether the attempts left bound the wait for an open circuit.</summary>
    public bool BoundsCircuitWait => AttemptsLeft > 0 && AttemptTimeout != Timeout.InfiniteTimeSpan;
}
