namespace Reprise.Hosts;

/// <summary>What one attempt showed about a host, for <see cref="ISharedHostState.Report"/>.</summary>
/// <param name="Outcome">What the attempt told us.</param>
/// <param name="PausedUntil">When the attempt paused the host (its Retry-After, capped), the pause's end; otherwise null.</param>
/// <param name="CircuitOpenUntil">When the attempt opened the host's circuit, its next probe time; otherwise null.</param>
public readonly record struct SharedHostReport(SharedHostOutcome Outcome, DateTimeOffset? PausedUntil, DateTimeOffset? CircuitOpenUntil);
