namespace Reprise.Hosts;

/// <summary>What the shared view of a host says to a request that asks to be sent (<see cref="ISharedHostState.Check"/>).</summary>
/// <param name="Verdict">Whether it may be sent, and if not, why.</param>
/// <param name="Wait">When refused, how long to wait before asking again.</param>
public readonly record struct SharedHostDecision(SharedHostVerdict Verdict, TimeSpan Wait)
{
    /// <summary>Gets the decision that lets a request through.</summary>
    public static SharedHostDecision Pass => default;
}
