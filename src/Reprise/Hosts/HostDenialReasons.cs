namespace Reprise.Hosts;

/// <summary>Why a <see cref="HostPermit"/> is refused.</summary>
internal enum HostDenialReason
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>The host's retry budget is spent: the retry throttle holds retries back.</summary>
    RetryBudgetExhausted,

    /// <summary>The host's circuit is open, or its single probe is in flight.</summary>
    CircuitOpen,

    /// <summary>The host asked to wait (Retry-After) and every request to it waits.</summary>
    HostPaused,

    /// <summary>The host has as many requests in flight as its limit allows.</summary>
    ConcurrencyLimit,

    /// <summary>The host's send rate is used up for now.</summary>
    RateLimit,

    /// <summary>The wait the host asks for would end past the request's deadline.</summary>
    Deadline,
}

/// <summary>The text of each <see cref="HostDenialReason"/>, as it appears in a request's error.</summary>
internal static class HostDenialReasons
{
    public static string Describe(this HostDenialReason reason) => reason switch
    {
        HostDenialReason.RetryBudgetExhausted => "retry budget exhausted",
        HostDenialReason.CircuitOpen => "circuit open",
        HostDenialReason.HostPaused => "host paused",
        HostDenialReason.ConcurrencyLimit => "concurrency limit",
        HostDenialReason.RateLimit => "rate limit",
        HostDenialReason.Deadline => "deadline",
        _ => "none",
    };
}
