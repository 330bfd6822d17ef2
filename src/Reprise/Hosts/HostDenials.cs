using Reprise.Retry;

namespace Reprise.Hosts;

/// <summary>Maps a host's refusal to the reason a request stopped.</summary>
internal static class HostDenials
{
    public static RetryStopReason ToStopReason(HostDenialReason denialReason) => denialReason switch
    {
        HostDenialReason.RetryBudgetExhausted => RetryStopReason.RetryBudgetExhausted,
        HostDenialReason.CircuitOpen => RetryStopReason.CircuitOpen,
        HostDenialReason.Deadline => RetryStopReason.DeadlineExceeded,
        _ => RetryStopReason.NonRetryableError,
    };
}
