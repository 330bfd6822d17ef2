namespace Reprise.Hosts.Evidence;

/// <summary>What one attempt told the host, with what the evidence parts need to tell the host's trouble from its URL's.</summary>
/// <param name="Key">The URL's key (a request and its attempts), or 0 for none: then each attempt counts as a URL of its own.</param>
/// <param name="Signal">The attempt's outcome.</param>
/// <param name="RetryAfter">The (capped) wait the server asked for, if any.</param>
/// <param name="GrantedAt">When the attempt's permit was granted, on the registry's clock.</param>
/// <param name="CompletedAt">When the attempt ended, on the registry's clock.</param>
/// <param name="IsProbe">Whether the attempt was the probe of an open circuit.</param>
/// <remarks>
/// The request's own history (<see cref="Attempt"/>, <see cref="Previous"/>, <see cref="AfterOwnWait"/>) comes with the
/// report: the host's ledger is bounded, and a run of more failing URLs than it holds would otherwise forget each URL
/// before its retry came back. Attempt 0 means the history is unknown: every failure then counts, as before.
/// </remarks>
internal readonly record struct AttemptReport(long Key, HostSignal Signal, TimeSpan? RetryAfter, TimeSpan GrantedAt, TimeSpan CompletedAt, bool IsProbe = false)
{
    /// <summary>Gets the attempt's number (1 for the first), or 0 when unknown.</summary>
    public int Attempt { get; init; }

    /// <summary>Gets the outcome of the request's previous attempt, or null for a first attempt or when unknown.</summary>
    public HostSignal? Previous { get; init; }

    /// <summary>Gets whether the attempt is a retry sent after the whole Retry-After its previous attempt got.</summary>
    public bool AfterOwnWait { get; init; }

    /// <summary>Gets when the request's first failed attempt ended (registry time), or null when none failed.</summary>
    public TimeSpan? FirstFailedAt { get; init; }

    /// <summary>Gets how long the attempt took.</summary>
    public TimeSpan Latency => CompletedAt - GrantedAt;
}

/// <summary>What the host's gates should do after one attempt.</summary>
internal readonly record struct EvidenceDecision
{
    /// <summary>Gets what the attempt's throttle does to the host (nothing but the URL's own wait, a pause, a lower rate).</summary>
    public ThrottleActions Throttle { get; init; }

    /// <summary>
    /// Gets the rate (requests per second) the host accepted during a check that just showed it limits its rate: engage
    /// the adaptive rate from it now. Null when no check ended.
    /// </summary>
    public double? EngageRate { get; init; }

    /// <summary>Gets whether the run of failing URLs reached the threshold: open the circuit (ignored for a probe).</summary>
    public bool OpenCircuit { get; init; }

    /// <summary>Gets whether a timeout is evidence of congestion: cut the concurrency limit (once per round trip).</summary>
    public bool CutConcurrency { get; init; }

    /// <summary>Gets the verdict on a probe, or null when the attempt was not one.</summary>
    public ProbeVerdict? Probe { get; init; }
}
