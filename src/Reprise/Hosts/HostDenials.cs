using Reprise.Retry;

namespace Reprise.Hosts;

/// <summary>Maps a host's refusal to the reason a request stopped.</summary>
internal static class HostDenials
{
    public static RetryStopReason ToStopReason(string? denialReason) => denialReason switch
    {
        HostDenialReasons.RetryBudgetExhausted => RetryStopReason.RetryBudgetExhausted,
        HostDenialReasons.CircuitOpen => RetryStopReason.CircuitOpen,
        _ => RetryStopReason.NonRetryableError,
    };
}
