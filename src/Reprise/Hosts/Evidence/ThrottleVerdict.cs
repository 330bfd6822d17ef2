namespace Reprise.Hosts.Evidence;

/// <summary>What a host's throttles (429, or 503 with Retry-After) have shown so far.</summary>
internal enum ThrottleVerdict
{
    /// <summary>No throttle lately: the next one starts a check.</summary>
    None,

    /// <summary>A first throttle holds the host's sends briefly; a few witnesses sent after the hold tell whether holding helped.</summary>
    Checking,

    /// <summary>Holding did not help: each URL waits its own Retry-After and the host goes on at full pace.</summary>
    PerUrl,

    /// <summary>The host limits its rate: sending less helped, so the adaptive rate paces the host.</summary>
    RateLimited,

    /// <summary>The host throttles everything (nothing accepted lately, URLs throttled again after their own wait): it is paused.</summary>
    Outage,
}

/// <summary>What the host should do with a throttle, by the evidence so far.</summary>
[Flags]
internal enum ThrottleActions
{
    /// <summary>Only the throttled URL waits, for its own Retry-After.</summary>
    None = 0,

    /// <summary>Pause the whole host for the server's Retry-After.</summary>
    PauseHost = 1,

    /// <summary>Lower the adaptive rate (it engages if it was not): the throttle is evidence about the host's rate.</summary>
    DecreaseRate = 2,
}
