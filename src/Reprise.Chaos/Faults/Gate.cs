namespace Reprise.Chaos.Faults;

/// <summary>
/// Something in front of a route (an outage or a rate limit, of the route or of the whole host) that may
/// answer instead of it, and that remembers the Retry-After it gave to count requests arriving before it passed.
/// </summary>
internal abstract class Gate
{
    /// <summary>Gets the latest Retry-After this gate has given.</summary>
    public RetryAfterClock Clock { get; } = new();

    /// <summary>Lets the request through, or says how to answer it instead.</summary>
    public abstract bool TryPass(out Rejection rejection);

    /// <summary>Forgets everything: the window restarts, the bucket refills, no Retry-After runs.</summary>
    public virtual void ResetState() => Clock.Clear();
}
