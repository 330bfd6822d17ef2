using System.Diagnostics;
using Reprise.Hosts.Evidence;

namespace Reprise.Hosts;

/// <summary>
/// Waiting for a host (the handler's path): the slow path past a refusing gate, the line for a concurrency slot and a
/// rate token, the slot hand-over to the next waiter, and the requests parked for the host elsewhere.
/// </summary>
internal sealed partial class HostState
{
    /// <summary>Waits until an attempt may be sent; refuses only where the options say fail fast.</summary>
    /// <param name="isRetry">Whether the attempt is a retry (only retries are throttled).</param>
    /// <param name="cancellationToken">The caller's cancellation, which carries its deadline.</param>
    public ValueTask<HostPermit> AcquireAsync(bool isRetry, CancellationToken cancellationToken)
        => AcquireAsync(isRetry, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Waits until an attempt may be sent, but starts no known wait (a pause, an open circuit) that would last longer
    /// than <paramref name="maxWait"/>: such a wait is refused at once with <see cref="HostDenialReason.Deadline"/>.
    /// </summary>
    public ValueTask<HostPermit> AcquireAsync(bool isRetry, TimeSpan maxWait, CancellationToken cancellationToken)
        => AcquireAsync(default, isRetry, HostWaitBudget.Within(maxWait), cancellationToken);

    /// <summary>
    /// Waits until an attempt may be sent, telling the host what the request knows of its own attempts. A wait for an
    /// open circuit ends, refused with <see cref="HostDenialReason.CircuitOpen"/>, once the request waited as long as its
    /// attempts left would have taken and a probe failed meanwhile (<see cref="CircuitWaitExhausted"/>), as in a bulk run.
    /// </summary>
    public ValueTask<HostPermit> AcquireAsync(UrlHistory history, bool isRetry, HostWaitBudget budget, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var check = default(RetryCheck);
        var now = _context.Now;
        HostPermit? permit;
        Gate gate;
        TimeSpan wait;
        Task? changed;
        lock (_lock)
        {
            permit = TryGrantLocked(now, isRetry, history, ref check, out gate, out wait, out _);
            changed = permit is null && gate is Gate.Probing or Gate.RetryThrottled ? ChangedLocked() : null;
        }

        return permit is not null
            ? ValueTask.FromResult(permit)
            : AcquireSlowAsync(isRetry, history, check, gate, wait, changed, budget, now, cancellationToken);
    }

    /// <summary>Frees a concurrency slot and hands it over at once to the first waiter for one.</summary>
    internal void ReleaseSlot()
    {
        _concurrency.Exit();
        _slotWaiters.WakeNext();
    }

    /// <summary>
    /// Wakes <paramref name="waiter"/> once, when a concurrency slot frees. False when the host has room already (the
    /// slot freed before the waiter came): the caller asks again instead of waiting.
    /// </summary>
    internal bool TryWaitForSlot(IHostSlotWaiter waiter, bool goesFirst = false)
    {
        _slotWaiters.Add(waiter, goesFirst);

        // A full fence between registering and looking for room (HostSlotWaiters' remarks).
        Interlocked.MemoryBarrier();
        return _concurrency.InFlight >= _concurrency.Limit || !_slotWaiters.TryRemove(waiter);
    }

    /// <summary>Takes back a wait of <see cref="TryWaitForSlot"/>; false when the waiter was already woken.</summary>
    internal bool CancelSlotWait(IHostSlotWaiter waiter) => _slotWaiters.TryRemove(waiter);

    /// <summary>Counts a request parked for this host elsewhere (a bulk run's delay queue), so that it is busy.</summary>
    internal void EnterParked() => Interlocked.Increment(ref _parked);

    /// <summary>Ends what <see cref="EnterParked"/> began.</summary>
    internal void ExitParked() => Interlocked.Decrement(ref _parked);

    private async ValueTask<HostPermit> AcquireSlowAsync(
        bool isRetry, UrlHistory history, RetryCheck check, Gate gate, TimeSpan wait, Task? changed, HostWaitBudget budget, TimeSpan now, CancellationToken cancellationToken)
    {
        var giveUpAt = budget.MaxWait == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : now + budget.MaxWait;
        var circuitWait = CircuitWait.None;
        Interlocked.Increment(ref _waiting);
        try
        {
            while (true)
            {
                var hostWait = wait;
                if ((RefusalAt(gate, wait, giveUpAt) ?? CircuitWaitEnds(gate, budget, ref circuitWait, ref wait)) is { } refusal)
                {
                    return refusal;
                }

                if (gate is Gate.CircuitOpen && wait < hostWait)
                {
                    // Shortened to the request's own attempts' time (to probe or to end): no spread, which is the host's.
                    await Task.Delay(wait, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                else if (gate is Gate.Limited)
                {
                    var permit = await WaitForLimitsAsync(isRetry, check, history, cancellationToken).ConfigureAwait(false);
                    if (permit is not null)
                    {
                        return permit;
                    }
                }
                else
                {
                    await WaitAtGateAsync(gate, wait, changed, cancellationToken).ConfigureAwait(false);
                }

                now = _context.Now;
                check.LastTry = circuitWait.LastTryDue;
                lock (_lock)
                {
                    var granted = TryGrantLocked(now, isRetry, history, ref check, out gate, out wait, out _);
                    if (granted is not null)
                    {
                        return granted;
                    }

                    changed = gate is Gate.Probing or Gate.RetryThrottled ? ChangedLocked() : null;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>
    /// The refusal a closed gate gives at once instead of a wait: where the options say fail fast, or where the known
    /// wait (a pause, an open circuit) would end past the caller's deadline; null when the request waits.
    /// </summary>
    private HostPermit? RefusalAt(Gate gate, TimeSpan wait, TimeSpan giveUpAt)
    {
        switch (gate)
        {
            case Gate.Paused when _context.Now + wait > giveUpAt:
            case Gate.CircuitOpen when _context.Now + wait > giveUpAt && !_options.FailFastWhenCircuitOpen:
                // No wait is started that would end past the caller's deadline.
                return HostPermit.Refuse(HostDenialReason.Deadline, wait);

            case Gate.CircuitOpen when _options.FailFastWhenCircuitOpen:
                return HostPermit.Refuse(HostDenialReason.CircuitOpen, wait);

            case Gate.Probing when _options.FailFastWhenCircuitOpen:
                return HostPermit.Refuse(HostDenialReason.CircuitOpen, _options.CircuitBreakerProbeInterval);

            case Gate.RetryThrottled when _options.FailFastWhenRetryThrottled:
                return HostPermit.Refuse(HostDenialReason.RetryBudgetExhausted, wait);

            default:
                return null;
        }
    }

    /// <summary>Gets the attempt timeout of a probe (<see cref="FailureEvidence.ProbeTimeout"/>).</summary>
    internal TimeSpan ProbeTimeout(TimeSpan attemptTimeout)
    {
        lock (_lock)
        {
            return _evidence.ProbeTimeout(attemptTimeout);
        }
    }

    /// <summary>
    /// Whether a request waiting for the open circuit has waited long enough: once the failed probes since it began to wait
    /// used up its <paramref name="attemptsLeft"/>, or once it waited as long as they would have taken and a probe failed
    /// in the last of that time (<see cref="FailureEvidence.WaiterExhausted"/>): each failed probe fails on behalf of
    /// everyone waiting, so waiting never costs more than trying would. When its last attempt would have been sent with no
    /// such probe, the host is probed at once (<see cref="CircuitController.ProbeNow"/>), so that the request never ends
    /// on older evidence than its own try would have given. Otherwise records when the wait began in
    /// <paramref name="circuitWait"/> and shortens <paramref name="wait"/> to when it may end or probe. The one rule for
    /// both paths: the handler's (<see cref="AcquireAsync(UrlHistory, bool, HostWaitBudget, CancellationToken)"/>) and a
    /// bulk run's parked requests.
    /// </summary>
    internal bool CircuitWaitExhausted(ref CircuitWait circuitWait, int attemptsLeft, TimeSpan attemptTimeout, ref TimeSpan wait)
    {
        var now = _context.Now;
        var waited = circuitWait.IsWaiting ? now - circuitWait.StartedAt : TimeSpan.Zero;
        int failedProbes;
        TimeSpan askAgainIn;
        lock (_lock)
        {
            failedProbes = _circuit.FailedProbes;
            var probeTimeout = _evidence.ProbeTimeout(attemptTimeout);
            var perAttempt = probeTimeout + _options.CircuitBreakerProbeInterval;
            var budget = FailureEvidence.WaitBudget(attemptsLeft, perAttempt);
            var untilExhausted = budget - waited;
            bool lastAttemptFailed = false;
            if (circuitWait.IsWaiting)
            {
                int failedWhileWaiting = failedProbes - circuitWait.FailedProbesAtStart;
                var lastProbeFailed = failedWhileWaiting > 0 ? _circuit.LastProbeFailedAt - circuitWait.StartedAt : TimeSpan.Zero;
                if (FailureEvidence.WaiterExhausted(failedWhileWaiting, waited, attemptsLeft, perAttempt, lastProbeFailed, probeTimeout))
                {
                    return true;
                }

                lastAttemptFailed = FailureEvidence.ProbeFailedInLastAttempt(failedWhileWaiting, lastProbeFailed, budget, probeTimeout);
                if (!lastAttemptFailed && untilExhausted <= probeTimeout && _circuit.ProbeNow(now))
                {
                    // Its last attempt would be sent now, and no probe failed in its time: the host may be well by now.
                    // It is probed at once, by this request as its last try when it asks first.
                    circuitWait = circuitWait with { LastTryDue = true };
                    wait = TimeSpan.Zero;
                    return false;
                }
            }

            // It may end once its attempts would have run out; before that, it has the host probed when its last would go.
            askAgainIn = lastAttemptFailed ? untilExhausted : untilExhausted - probeTimeout;
        }

        if (!circuitWait.IsWaiting)
        {
            circuitWait = new CircuitWait(failedProbes, now);
        }

        if (askAgainIn > TimeSpan.Zero && askAgainIn < wait)
        {
            wait = askAgainIn;
        }

        return false;
    }

    /// <summary>
    /// For a handler's request waiting for an open circuit with attempts left: the refusal once its wait is exhausted
    /// (<see cref="CircuitWaitExhausted"/>); otherwise null, with <paramref name="wait"/> shortened to when it may be.
    /// </summary>
    private HostPermit? CircuitWaitEnds(Gate gate, in HostWaitBudget budget, ref CircuitWait circuitWait, ref TimeSpan wait)
        => gate is Gate.CircuitOpen or Gate.Probing && budget.BoundsCircuitWait
            && CircuitWaitExhausted(ref circuitWait, budget.AttemptsLeft, budget.AttemptTimeout, ref wait)
                ? HostPermit.Refuse(HostDenialReason.CircuitOpen, wait)
                : null;

    /// <summary>
    /// Waits at a closed gate (any but <see cref="Gate.Limited"/>) that did not refuse, until it is worth asking again.
    /// Not async, so that a plain delay costs no state machine of its own.
    /// </summary>
    private Task WaitAtGateAsync(Gate gate, TimeSpan wait, Task? changed, CancellationToken cancellationToken)
    {
        Debug.Assert(gate is not (Gate.Pass or Gate.Probe or Gate.Limited), "A gate that grants or queues has no wait of its own.");
        var time = _context.TimeProvider;
        return gate switch
        {
            Gate.Paused => Task.Delay(wait + PauseSpread(_pause.Length), time, cancellationToken),
            Gate.CircuitOpen => Task.Delay(wait + PauseSpread(_circuit.OpenInterval), time, cancellationToken),
            Gate.Probing => WaitForProbeAsync(changed!, wait, cancellationToken),

            // Deferred, not dropped: ask again when the host accepts a request or the window moves on.
            Gate.RetryThrottled => WaitForChangeAsync(changed!, wait, cancellationToken),

            // Held: a check's hold is short, and a request held for the witnesses' answers asks again every few
            // milliseconds. SharedRate: the shared rate's next token.
            _ => Task.Delay(wait, time, cancellationToken),
        };
    }

    private async Task WaitForProbeAsync(Task changed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await WaitForChangeAsync(changed, timeout, cancellationToken).ConfigureAwait(false);

        // When the probe closes the circuit everyone who waited for it is released spread out too,
        // before the re-check could grant them all at once.
        await Task.Delay(PauseSpread(_circuit.OpenInterval), _context.TimeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits in the host's line for a concurrency slot (the one a bulk run's requests wait in, <see cref="HostSlotWaiters"/>),
    /// then for a rate token, then checks the gates again.
    /// </summary>
    private async ValueTask<HostPermit?> WaitForLimitsAsync(bool isRetry, RetryCheck check, UrlHistory history, CancellationToken cancellationToken)
    {
        var time = _context.TimeProvider;
        while (!_concurrency.TryEnter())
        {
            await WaitForSlotAsync(HostWaitOrder.GoesFirst(isRetry), cancellationToken).ConfigureAwait(false);
        }

        bool holdsSlot = true;
        try
        {
            if (_rate is not null)
            {
                await _rate.WaitForTokenAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_fixedRate is not null)
            {
                while (!TryTakeFixedRate())
                {
                    await Task.Delay(_fixedRateInterval, time, cancellationToken).ConfigureAwait(false);
                }
            }

            var now = _context.Now;
            lock (_lock)
            {
                // A pause or an open circuit may have begun while we waited in line.
                if (StoppedWhileInLineLocked(now, history) || !TakeSharedTokenLocked(out _))
                {
                    return null;
                }

                holdsSlot = false;
                _evidence.OnGranted(now, history.AfterOwnWait);
                return GrantSlotLocked(now, check.Counted, history);
            }
        }
        finally
        {
            if (holdsSlot)
            {
                ReleaseSlot();
            }
        }
    }

    /// <summary>Waits until a slot frees (or at once when one is free now); a wake that comes with a cancellation is passed on.</summary>
    private async Task WaitForSlotAsync(bool goesFirst, CancellationToken cancellationToken)
    {
        var waiter = new SlotWaiter();
        if (!TryWaitForSlot(waiter, goesFirst))
        {
            return;
        }

        try
        {
            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (!CancelSlotWait(waiter))
            {
                // Woken as it was cancelled: the freed slot goes to the next waiter instead.
                _slotWaiters.WakeNext();
            }

            throw;
        }
    }

    private async Task WaitForChangeAsync(Task changed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!changed.IsCompleted)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, _context.TimeProvider, cts.Token);
            await Task.WhenAny(changed, delay).ConfigureAwait(false);
            await cts.CancelAsync().ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// After waiting in line for a slot and a rate token: whether a pause or an open circuit began meanwhile. If so the
    /// rate token goes back (the caller frees the slot), so that the request finds it when it asks again.
    /// </summary>
    private bool StoppedWhileInLineLocked(TimeSpan now, in UrlHistory history)
    {
        if (!_pause.IsPaused(now, out _) && _circuit.State == HostCircuitState.Closed && _evidence.MayGrant(now, history.AfterOwnWait, out _))
        {
            return false;
        }

        _rate?.Unreserve();
        return true;
    }

    /// <summary>A handler request's place in the host's line for a slot.</summary>
    private sealed class SlotWaiter() : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), IHostSlotWaiter
    {
        public void OnSlotFreed() => TrySetResult();
    }

    private Task ChangedLocked() =>
        (_changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private TaskCompletionSource? TakeChangedLocked()
    {
        var changed = _changed;
        _changed = null;
        return changed;
    }
}
