using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Faults;

/// <summary>A gate's answer instead of the route's: a status and an optional Retry-After.</summary>
internal readonly record struct Rejection(int Status, int? RetryAfterSeconds, RetryAfterFormat Format);
