namespace Reprise.Hosts;

/// <summary>The verdict of the shared view of a host.</summary>
public enum SharedHostVerdict
{
    /// <summary>Nothing shared stands in the way; the local gates decide.</summary>
    Pass,

    /// <summary>Another process saw a Retry-After: the host is paused until it ends.</summary>
    Paused,

    /// <summary>The shared circuit is open, or another process holds its single probe.</summary>
    CircuitOpen,
}
