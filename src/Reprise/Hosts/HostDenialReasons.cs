namespace Reprise.Hosts;

/// <summary>The reasons a <see cref="HostPermit"/> is refused, as they appear in a request's history.</summary>
internal static class HostDenialReasons
{
    public const string RetryBudgetExhausted = "retry budget exhausted";
    public const string CircuitOpen = "circuit open";
    public const string HostPaused = "host paused";
    public const string ConcurrencyLimit = "concurrency limit";
    public const string RateLimit = "rate limit";
}
