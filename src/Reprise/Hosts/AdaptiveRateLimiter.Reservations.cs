namespace Reprise.Hosts;

/// <summary>
/// The adaptive rate's reservations (the handler's path): a waiter reserves a token ahead and uses it when its wait ends,
/// unless a decrease took it back meanwhile.
/// </summary>
internal sealed partial class AdaptiveRateLimiter
{
    /// <summary>
    /// Reserves a token when one will be there within <paramref name="horizon"/> and returns how long to wait before
    /// using it (zero when one is there now). Beyond the horizon nothing is reserved: the caller waits the horizon and
    /// asks again, so a rate that grows meanwhile serves it sooner. (A wait fixed at reservation time would hold every
    /// queued request to the rate of the moment it queued, long after the rate had recovered.)
    /// </summary>
    public TimeSpan Reserve(TimeSpan now, TimeSpan horizon, out bool reserved) => Reserve(now, horizon, out reserved, out _);

    /// <summary>
    /// Reserves as <see cref="Reserve(TimeSpan, TimeSpan, out bool)"/> and tells the reservation's <paramref name="epoch"/>:
    /// a token reserved ahead is used with <see cref="TryRedeem"/> when its wait ends, or given back with
    /// <see cref="CancelReservation"/>.
    /// </summary>
    internal TimeSpan Reserve(TimeSpan now, TimeSpan horizon, out bool reserved, out long epoch)
    {
        lock (_lock)
        {
            reserved = true;
            epoch = _decreases;
            if (!_engaged)
            {
                _successful++;
                return TimeSpan.Zero;
            }

            Refill(now);
            var wait = UntilTokens(now, 1);
            if (wait > TimeSpan.Zero)
            {
                _lastBound = now;
            }

            if (wait > horizon)
            {
                reserved = false;
                return horizon;
            }

            _successful++;
            _tokens--;
            if (wait > TimeSpan.Zero)
            {
                _outstanding++;
            }

            return wait;
        }
    }

    /// <summary>
    /// Uses a token reserved ahead in <paramref name="epoch"/> once its wait ended: true when it still holds; false when a
    /// decrease since took it back (<see cref="VoidReservationsLocked"/>), and the caller reserves again at the lowered rate.
    /// </summary>
    internal bool TryRedeem(long epoch)
    {
        lock (_lock)
        {
            if (epoch != _decreases)
            {
                return false;
            }

            _outstanding--;
            return true;
        }
    }

    /// <summary>Gives back a token reserved ahead in <paramref name="epoch"/> whose wait was cancelled (none when a decrease took it back already).</summary>
    internal void CancelReservation(long epoch)
    {
        lock (_lock)
        {
            if (epoch == _decreases)
            {
                _outstanding--;
                GiveBackLocked(1);
            }
        }
    }

    /// <summary>Gives back <paramref name="count"/> reserved tokens that were not used.</summary>
    /// <param name="count">How many.</param>
    /// <param name="bound">Whether a shared rate refused them: the rate bound (made a request wait), so it stays engaged.</param>
    public void Unreserve(int count = 1, bool bound = false)
    {
        lock (_lock)
        {
            if (bound)
            {
                _lastBound = Now;
            }

            GiveBackLocked(count);
        }
    }

    /// <summary>Waits for and takes one token, asking again at least every <see cref="HostCoordinationDefaults.RateReserveHorizon"/>.</summary>
    /// <remarks>
    /// A token reserved before the rate was lowered is taken back by the decrease (<see cref="VoidReservationsLocked"/>),
    /// and the waiter reserves again at the lowered rate when its wait ends: otherwise every request queued at the old
    /// rate is sent at it, and throttled.
    /// </remarks>
    public async ValueTask WaitForTokenAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = Reserve(Now, HostCoordinationDefaults.RateReserveHorizon, out var reserved, out long epoch);
            if (reserved && wait <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await Task.Delay(wait, _clock.Provider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (reserved)
                {
                    CancelReservation(epoch);
                }

                throw;
            }

            if (reserved && TryRedeem(epoch))
            {
                return;
            }
        }
    }

    /// <summary>
    /// A decrease takes back every token reserved ahead at the old rate, at once, and the bucket's debt with them: each
    /// waiter reserves again when its wait ends, in the order it waited, from an empty bucket at the lowered rate. (Given
    /// back one by one as each wait ended, every token went to the end of the debt and every waiter reserved the same
    /// moment, when the debt would be repaid: the handler sent nothing for 200 ms after a decrease, then 40 requests in one
    /// timer tick, whose 429s lowered the rate twice more, 330/s to 62/s.) Empty, not full: the waiters would have taken
    /// every token the bucket held, and a burst right after a throttle meets a host that has none to spare.
    /// </summary>
    private void VoidReservationsLocked(TimeSpan now)
    {
        _decreases++;
        if (_outstanding > 0)
        {
            Refill(now);
            _tokens = Math.Min(_tokens + _outstanding, Math.Max(_tokens, 0));
            _outstanding = 0;
        }
    }
}
