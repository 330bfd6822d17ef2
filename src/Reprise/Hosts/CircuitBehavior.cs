namespace Reprise.Hosts;

/// <summary>
/// The policy of a host's circuit breaker: when to break and how long to stay open. The state and its transitions are
/// <see cref="CircuitController"/>'s, which asks this policy, as Polly.Core's <c>CircuitStateController</c> asks its
/// <c>CircuitBehavior</c>.
/// </summary>
/// <remarks>Not thread-safe: called under <see cref="HostState"/>'s lock.</remarks>
internal abstract class CircuitBehavior
{
    /// <summary>Takes in the outcome of an attempt sent while the circuit was closed.</summary>
    /// <returns>Whether the circuit should open.</returns>
    public abstract bool OnClosedOutcome(HostSignal signal);

    /// <summary>The circuit closed: the host recovered.</summary>
    public abstract void OnClosed();

    /// <summary>Gets how long the circuit stays open when it first opens and the server asked for no wait.</summary>
    public abstract TimeSpan OpenInterval { get; }

    /// <summary>The probe failed.</summary>
    /// <returns>How long the circuit stays open now, when the server asked for no wait.</returns>
    public abstract TimeSpan OnProbeFailed();
}
