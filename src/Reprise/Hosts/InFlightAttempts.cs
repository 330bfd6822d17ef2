using System.Diagnostics;
using Reprise.Hosts.Evidence;

namespace Reprise.Hosts;

/// <summary>
/// A host's attempts in flight that hold one of its concurrency slots, oldest grant first, and the hung ones among them
/// that give their slot back early (<see cref="HangEvidence"/>). Not thread-safe: the host state's lock guards it.
/// </summary>
/// <remarks>
/// An intrusive list through the permits themselves: adding and removing cost no allocation, and only the oldest
/// attempt need be looked at, since it is the first to have been in flight long enough and every later grant is younger.
/// </remarks>
internal sealed class InFlightAttempts
{
    private HostPermit? _oldest;
    private HostPermit? _newest;
    private long _lastAcceptedSequence;

    /// <summary>Gets how many hung attempts gave their slot back and are still in flight.</summary>
    public int Released { get; private set; }

    /// <summary>Gets the oldest attempt that still holds its slot, if any.</summary>
    internal HostPermit? Oldest => _oldest;

    /// <summary>
    /// Whether an attempt granted before grant <paramref name="sequence"/> is still in flight and may yet be answered: in
    /// flight for less than <paramref name="hungAfter"/> (any, while the host's latency is unknown).
    /// </summary>
    public bool HasPendingOlderThan(long sequence, TimeSpan now, TimeSpan? hungAfter)
    {
        for (var attempt = _oldest; attempt is not null && attempt.Sequence < sequence; attempt = attempt.Newer)
        {
            if (hungAfter is not { } after || now - attempt.GrantedAt < after)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds a granted attempt that holds a slot, as the newest.</summary>
    public void Add(HostPermit permit)
    {
        Debug.Assert(permit.HoldsSlot && permit.Newer is null && permit.Older is null, "Added once, holding a slot.");
        permit.Older = _newest;
        if (_newest is null)
        {
            _oldest = permit;
        }
        else
        {
            _newest.Newer = permit;
        }

        _newest = permit;
    }

    /// <summary>Takes out an attempt that ended, and notes the host's acceptance of it.</summary>
    public void OnEnded(HostPermit permit, bool accepted)
    {
        if (accepted && permit.Sequence > _lastAcceptedSequence)
        {
            _lastAcceptedSequence = permit.Sequence;
        }

        if (permit.ReleasedEarly)
        {
            Released--;
            return;
        }

        Unlink(permit);
    }

    /// <summary>When the oldest attempt will count as hung, if ever (null: no evidence yet, or no slot may go out).</summary>
    /// <param name="hungAfter">How long an attempt must have been in flight (<see cref="HangEvidence.HungAfter"/>).</param>
    /// <param name="maxReleased">How many released slots the host may have out at once.</param>
    public TimeSpan? HungAt(TimeSpan? hungAfter, int maxReleased)
        => _oldest is { } oldest && hungAfter is { } after && Released < maxReleased && _lastAcceptedSequence > oldest.Sequence
            ? oldest.GrantedAt + after
            : null;

    /// <summary>
    /// Takes the oldest attempt if it hangs now and the host may have another slot out: the caller frees its slot.
    /// </summary>
    public HostPermit? TakeHung(TimeSpan now, TimeSpan? hungAfter, int maxReleased)
    {
        var oldest = _oldest;
        if (oldest is null || hungAfter is not { } after || Released >= maxReleased
            || !HangEvidence.Hangs(oldest.GrantedAt, oldest.Sequence, now, after, _lastAcceptedSequence)
            || !oldest.TryReleaseSlotEarly())
        {
            return null;
        }

        Unlink(oldest);
        Released++;
        return oldest;
    }

    private void Unlink(HostPermit permit)
    {
        if (permit.Older is null && permit.Newer is null && !ReferenceEquals(_oldest, permit))
        {
            return; // Not in the list (it held no slot).
        }

        if (permit.Older is null)
        {
            _oldest = permit.Newer;
        }
        else
        {
            permit.Older.Newer = permit.Newer;
        }

        if (permit.Newer is null)
        {
            _newest = permit.Older;
        }
        else
        {
            permit.Newer.Older = permit.Older;
        }

        permit.Older = permit.Newer = null;
    }
}
