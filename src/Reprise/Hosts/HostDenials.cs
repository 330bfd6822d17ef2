using Reprise.Retry;

namespace Reprise.Hosts;

/// <summary>The reasons a host refuses a permit, as they appear in a request's history.</summary>
internal static class HostDenials
{
    public const string RetryBudgetExhausted = "retry budget exhausted";
    public const string CircuitOpen = "circuit open";

    public static RetryStopReason ToStopReason(string? denialReason) => denialReason switch
    {
        RetryBudgetExhausted => RetryStopReason.RetryBudgetExhausted,
        CircuitOpen => RetryStopReason.CircuitOpen,
        _ => RetryStopReason.NonRetryableError,
    };
}
