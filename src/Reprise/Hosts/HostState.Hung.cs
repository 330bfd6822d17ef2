using Reprise.Hosts.Evidence;

namespace Reprise.Hosts;

/// <summary>
/// Hung attempts (<see cref="HangEvidence"/>): an attempt hung on its own URL gives its concurrency slot back, so that a
/// few URLs that never answer do not hold a healthy host's every slot for an attempt timeout.
/// </summary>
internal sealed partial class HostState
{
    private readonly InFlightAttempts _inFlight = new();
    private ITimer? _hungTimer;
    private TimeSpan _hungTimerDue = TimeSpan.MaxValue;

    /// <summary>Gets how many hung attempts gave their slot back and are still in flight.</summary>
    internal int ReleasedHung
    {
        get
        {
            lock (_lock)
            {
                return _inFlight.Released;
            }
        }
    }

    /// <summary>Grants an attempt that holds a concurrency slot, and tracks it until it ends.</summary>
    private HostPermit GrantSlotLocked(TimeSpan now, bool countedAsRequest, in UrlHistory history)
    {
        var permit = HostPermit.Grant(this, isProbe: false, holdsSlot: true, countedAsRequest, ++_grantSequence, now, history);
        _inFlight.Add(permit);
        return permit;
    }

    /// <summary>
    /// Takes the oldest attempt in flight if it hangs, for the caller to free its slot after the lock; otherwise, when a
    /// request wants a slot (<paramref name="wanted"/>), looks again when the oldest will count as hung.
    /// </summary>
    private HostPermit? TakeHungLocked(TimeSpan now, bool wanted)
    {
        var hungAfter = HangEvidence.HungAfter(_evidence.UsualLatency);
        var hung = _inFlight.TakeHung(now, hungAfter, MaxReleasedHung);
        if (hung is null && wanted)
        {
            LookForHungLocked(now, _inFlight.HungAt(hungAfter, MaxReleasedHung));
        }

        return hung;
    }

    /// <summary>A request found no slot: looks again when the oldest attempt in flight will count as hung (at once if it does).</summary>
    private void WatchForHungLocked(TimeSpan now)
        => LookForHungLocked(now, _inFlight.HungAt(HangEvidence.HungAfter(_evidence.UsualLatency), MaxReleasedHung));

    private int MaxReleasedHung => _options.MaxConcurrency > int.MaxValue / HangEvidence.ReleasedPerSlot
        ? int.MaxValue
        : _options.MaxConcurrency * HangEvidence.ReleasedPerSlot;

    private void LookForHungLocked(TimeSpan now, TimeSpan? at)
    {
        if (at is not { } due || due >= _hungTimerDue)
        {
            return;
        }

        _hungTimerDue = due;
        _hungTimer ??= CreateHungTimer();
        _hungTimer.Change(due > now ? due - now : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The host's one timer for hung attempts. It outlives the request that arms it first, so it must not hold on to that
    /// request's ExecutionContext (its AsyncLocals, its Activity), which a timer captures unless the flow is suppressed.
    /// </summary>
    private ITimer CreateHungTimer()
    {
        var flow = ExecutionContext.IsFlowSuppressed() ? default(AsyncFlowControl?) : ExecutionContext.SuppressFlow();
        try
        {
            return _context.TimeProvider.CreateTimer(static s => ((HostState)s!).OnHungTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            flow?.Undo();
        }
    }

    /// <summary>Frees the slots of hung attempts, one at a time, while the oldest in flight hangs.</summary>
    private void ReleaseHungSlots(HostPermit? first)
    {
        var hung = first;
        while (hung is not null)
        {
            ReleaseSlot();
            var now = _context.Now;
            lock (_lock)
            {
                hung = TakeHungLocked(now, wanted: _concurrency.InFlight >= _concurrency.Limit);
            }
        }
    }

    private void OnHungTimer()
    {
        var now = _context.Now;
        HostPermit? hung;
        lock (_lock)
        {
            _hungTimerDue = TimeSpan.MaxValue;
            hung = TakeHungLocked(now, wanted: _concurrency.InFlight >= _concurrency.Limit || _slotWaiters.Count > 0);
        }

        ReleaseHungSlots(hung);
    }
}
