namespace Reprise.Hosts;

/// <summary>
/// The right to send one attempt to a host, or the reason it may not be sent yet.
/// Report the attempt's outcome with <see cref="Complete"/>, then dispose the permit to free its slot.
/// </summary>
internal sealed class HostPermit : IDisposable
{
    // Placeholder until host coordination lands: every permit is granted and nothing is tracked.
    public static HostPermit Granted { get; } = new();

    public bool IsAcquired => true;

    /// <summary>Gets why the permit was refused ("retry budget exhausted", "circuit open"), or null.</summary>
    public string? DenialReason => null;

    /// <summary>Gets, for a refused permit, how long to wait before asking again.</summary>
    public TimeSpan RetryAfter => TimeSpan.Zero;

    /// <summary>Gets whether this attempt is the single probe of an open circuit.</summary>
    public bool IsProbe => false;

    /// <summary>Reports what the attempt told us about the host.</summary>
    /// <param name="signal">The outcome of the attempt.</param>
    /// <param name="serverRetryAfter">The (already capped) wait the server asked for, if any.</param>
    public void Complete(HostSignal signal, TimeSpan? serverRetryAfter)
    {
    }

    public void Dispose()
    {
    }
}
