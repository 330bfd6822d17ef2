namespace Reprise.Chaos.Faults;

/// <summary>What the route decided for one call: the outcome and the delay before it.</summary>
internal readonly record struct ResponsePlan(int Status, FaultKind Fault, TimeSpan Latency);
