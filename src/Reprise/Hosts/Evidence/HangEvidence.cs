namespace Reprise.Hosts.Evidence;

/// <summary>
/// When an attempt in flight is hung on its own URL rather than held up by its host: the decision that lets it give its
/// host's concurrency slot back before it ends.
/// </summary>
/// <remarks>
/// A hung request is not congestion while the host answers others: with a fixed per-host cap, a few URLs that never
/// answer their first call would otherwise hold every slot for an attempt timeout while the host sits idle. The
/// evidence that the hang is the URL's own is that the host accepted a request granted after it, and that it has been
/// in flight four times the host's usual latency (at least <see cref="EvidenceDefaults.MinHungAfter"/>). A host that answers
/// nobody gives no such evidence, so its hung attempts keep their slots.
/// </remarks>
internal static class HangEvidence
{
    /// <summary>
    /// The released slots a host may have out at once, as a multiple of its concurrency cap: a hung attempt still holds
    /// a connection, so the host never sees more than this many more than the cap.
    /// </summary>
    public const int ReleasedPerSlot = 4;

    /// <summary>Gets how long an attempt must have been in flight to count as hung: four times the usual latency, at least 250 ms.</summary>
    /// <param name="usualLatency">The host's usual successful latency; null while unknown, when nothing counts as hung.</param>
    public static TimeSpan? HungAfter(TimeSpan? usualLatency)
    {
        if (usualLatency is not { } usual)
        {
            return null;
        }

        var after = TimeSpan.FromTicks((long)(usual.Ticks * EvidenceDefaults.ProbeTimeoutFactor));
        return after > EvidenceDefaults.MinHungAfter ? after : EvidenceDefaults.MinHungAfter;
    }

    /// <summary>Whether an attempt granted at <paramref name="grantedAt"/> as grant <paramref name="sequence"/> hangs on its own.</summary>
    /// <param name="grantedAt">When the attempt was granted, on the registry's clock.</param>
    /// <param name="sequence">The attempt's grant sequence.</param>
    /// <param name="now">The registry's time.</param>
    /// <param name="hungAfter">How long an attempt must have been in flight (<see cref="HungAfter"/>).</param>
    /// <param name="lastAcceptedSequence">The latest grant sequence the host accepted.</param>
    public static bool Hangs(TimeSpan grantedAt, long sequence, TimeSpan now, TimeSpan hungAfter, long lastAcceptedSequence)
        => lastAcceptedSequence > sequence && now - grantedAt >= hungAfter;
}
