using System.Diagnostics;
using Reprise.Hosts.Evidence;

namespace Reprise.Hosts;

/// <summary>
/// The right to send one attempt to a host, or the reason it may not be sent yet.
/// Report the attempt's outcome with <see cref="Complete"/>, then dispose the permit to free its slot.
/// </summary>
internal sealed class HostPermit : IDisposable
{
    private readonly HostState? _state;
    // The permit's state in one word, to keep it (allocated per attempt) small: completed, disposed, holding its slot,
    // and released early (TryReleaseSlotEarly).
    private const int Completed = 1;
    private const int Disposed = 2;
    private const int SlotHeld = 4;
    private const int Early = 8;

    private int _flags;

    private HostPermit(HostState? state, bool isAcquired, HostDenialReason denialReason, TimeSpan waitHint, int slotHeld = 0)
    {
        _state = state;
        _flags = slotHeld == 1 ? SlotHeld : 0;
        IsAcquired = isAcquired;
        DenialReason = denialReason;
        WaitHint = waitHint;
    }

    /// <summary>Gets whether the attempt may be sent.</summary>
    public bool IsAcquired { get; }

    /// <summary>Gets why the permit was refused; <see cref="HostDenialReason.None"/> when granted.</summary>
    public HostDenialReason DenialReason { get; }

    /// <summary>
    /// Gets, for a refused permit, how long this client should wait before asking again: the host state's own hint
    /// (a pause's end, the next probe, a share of the round trip), not the server's Retry-After.
    /// </summary>
    public TimeSpan WaitHint { get; }

    /// <summary>Gets whether this attempt is the single probe of an open circuit.</summary>
    public bool IsProbe { get; private init; }

    /// <summary>
    /// Gets whether this probe is its request's last try: the request waited for the open circuit as long as its attempts
    /// would have taken (<see cref="HostState.CircuitWaitExhausted"/>), so no retry follows it.
    /// </summary>
    public bool IsLastTry { get; private init; }

    /// <summary>Gets whether the permit holds one of the host's concurrency slots.</summary>
    internal bool HoldsSlot { get; private init; }

    /// <summary>Gets whether the retry throttle already counted this attempt when it held it back.</summary>
    internal bool CountedAsRequest { get; private init; }

    /// <summary>Gets the grant order, to react to overload once per round trip (like TCP's recovery).</summary>
    internal long Sequence { get; private init; }

    /// <summary>Gets when the permit was granted, on the registry's clock.</summary>
    internal TimeSpan GrantedAt { get; private init; }

    /// <summary>Reports what the attempt told us about the host. Only the first report counts.</summary>
    /// <param name="signal">The outcome of the attempt.</param>
    /// <param name="serverRetryAfter">The (already capped) wait the server asked for, if any.</param>
    /// <param name="completedAt">When the attempt ended, on the registry's clock (<see cref="Timing.RegistryClock.TimeAt"/>); now when null.</param>
    /// <param name="roundTrip">
    /// For a response, the time from sending to its headers; null for a timeout, a transport error or a cancellation,
    /// which measure no round trip.
    /// </param>
    public void Complete(HostSignal signal, TimeSpan? serverRetryAfter, TimeSpan? completedAt = null, TimeSpan? roundTrip = null)
    {
        if (_state is null || !IsAcquired || !TrySet(Completed))
        {
            return;
        }

        _state.OnCompleted(this, signal, serverRetryAfter, completedAt, roundTrip);
    }

    /// <summary>Frees the concurrency slot; a permit disposed without <see cref="Complete"/> counts as cancelled.</summary>
    public void Dispose()
    {
        if (_state is null || !IsAcquired || !TrySet(Disposed))
        {
            return;
        }

        Complete(HostSignal.Cancelled, null);
        if (HoldsSlot && TryClear(SlotHeld))
        {
            _state.ReleaseSlot();
        }
    }

    /// <summary>
    /// Gets the attempt timeout to use: a probe of an open circuit gets a short one (a few times the host's usual
    /// latency, at least a second), so a probe that hangs does not hold the circuit open for a whole attempt timeout.
    /// </summary>
    public TimeSpan AttemptTimeout(TimeSpan configured) => IsProbe && _state is not null ? _state.ProbeTimeout(configured) : configured;

    /// <summary>Gets what the request told the host about its own attempts when it asked (its URL's key and history).</summary>
    internal UrlHistory History { get; private init; }

    /// <summary>Gets whether the attempt gave its concurrency slot back while still in flight, as hung (<see cref="InFlightAttempts"/>).</summary>
    internal bool ReleasedEarly => (Volatile.Read(ref _flags) & Early) != 0;

    /// <summary>Gets or sets the next older attempt holding a slot on the same host (<see cref="InFlightAttempts"/>' list).</summary>
    internal HostPermit? Older { get; set; }

    /// <summary>Gets or sets the next newer attempt holding a slot on the same host.</summary>
    internal HostPermit? Newer { get; set; }

    /// <summary>Gives the concurrency slot back while the attempt is still in flight; false when it was already freed.</summary>
    /// <remarks>The caller frees the slot; <see cref="Dispose"/> then frees nothing.</remarks>
    internal bool TryReleaseSlotEarly()
    {
        if (!TryClear(SlotHeld))
        {
            return false;
        }

        Interlocked.Or(ref _flags, Early);
        return true;
    }

    /// <summary>Sets <paramref name="flag"/>; true when this call set it.</summary>
    private bool TrySet(int flag) => (Interlocked.Or(ref _flags, flag) & flag) == 0;

    /// <summary>Clears <paramref name="flag"/>; true when this call cleared it.</summary>
    private bool TryClear(int flag) => (Interlocked.And(ref _flags, ~flag) & flag) != 0;

    internal static HostPermit Grant(
        HostState state, bool isProbe, bool holdsSlot, bool countedAsRequest, long sequence, TimeSpan now, UrlHistory history = default, bool lastTry = false)
    {
        Debug.Assert(!(isProbe && holdsSlot), "A probe bypasses the limits.");
        Debug.Assert(isProbe || !lastTry, "Only a probe is a last try.");
        return new HostPermit(state, isAcquired: true, HostDenialReason.None, TimeSpan.Zero, holdsSlot ? 1 : 0)
        {
            IsProbe = isProbe,
            IsLastTry = lastTry,
            HoldsSlot = holdsSlot,
            CountedAsRequest = countedAsRequest,
            Sequence = sequence,
            GrantedAt = now,
            History = history,
        };
    }

    internal static HostPermit Refuse(HostDenialReason reason, TimeSpan waitHint) =>
        new(null, isAcquired: false, reason, waitHint < TimeSpan.Zero ? TimeSpan.Zero : waitHint);
}
