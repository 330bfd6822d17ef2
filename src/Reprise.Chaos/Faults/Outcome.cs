namespace Reprise.Chaos.Faults;

/// <summary>One call's outcome: a status and a transport fault.</summary>
internal readonly record struct Outcome(int Status, FaultKind Fault);
