using Reprise.Hosts.Evidence;

namespace Reprise.Hosts;

/// <summary>Someone to tell when a host's open circuit closes: a bulk run whose requests are parked for it.</summary>
internal interface IHostCircuitWatcher
{
    /// <summary>Called once per watch, on the thread that reported the probe that closed the circuit: must be cheap and never throw.</summary>
    void OnCircuitClosed(HostState host);
}

/// <summary>
/// Waiting for an open circuit: when a waiter's wait ends (the one rule for the handler and a bulk run), how long the
/// circuit may stay open after a failed probe while requests wait, and who is told when it closes.
/// </summary>
internal sealed partial class HostState
{
    // What one attempt of a request waiting for the circuit takes (probe timeout plus the base open interval), as the
    // last waiter to ask computed it; zero when no request waited since the circuit last closed. Guarded by _lock.
    private TimeSpan _waiterAttempt;

    // Told when the circuit closes (bulk runs with requests parked for it), then forgotten. Guarded by _lock.
    private List<IHostCircuitWatcher>? _circuitWatchers;

    /// <summary>
    /// Tells <paramref name="watcher"/> once when the circuit closes. False when it is closed now: the watcher's requests
    /// may ask at once.
    /// </summary>
    internal bool WatchCircuitClose(IHostCircuitWatcher watcher)
    {
        lock (_lock)
        {
            if (_circuit.State == HostCircuitState.Closed)
            {
                return false;
            }

            _circuitWatchers ??= [];
            if (!_circuitWatchers.Contains(watcher))
            {
                _circuitWatchers.Add(watcher);
            }

            return true;
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
            _waiterAttempt = perAttempt;
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
    /// Gets the longest the circuit stays open after a probe that failed with <paramref name="signal"/>: while requests
    /// wait for it and the probe was answered (the host is up but failing, and may be well any moment), what one of their
    /// own attempts would have taken (<see cref="_waiterAttempt"/>), since a probe costs one request and their own
    /// attempts one each; otherwise no cap (the behaviour's backoff, up to its maximum). A probe that timed out says the
    /// host answers nobody: probing it as often made the never-answers row 1.5-3.7 s slower (a waiter sent as an extra
    /// probe near the end of its wait had a retry left, and waited its backoff for it).
    /// </summary>
    private TimeSpan? LongestProbeIntervalLocked(HostSignal signal)
        => signal == HostSignal.Failed && _waiterAttempt > TimeSpan.Zero && (Volatile.Read(ref _waiting) > 0 || Volatile.Read(ref _parked) > 0)
            ? _waiterAttempt
            : null;

    /// <summary>After a probe's outcome: the watchers to tell, outside the lock, when it closed the circuit; null otherwise.</summary>
    private List<IHostCircuitWatcher>? TakeCircuitWatchersLocked()
    {
        if (_circuit.State != HostCircuitState.Closed)
        {
            return null;
        }

        _waiterAttempt = TimeSpan.Zero;
        var watchers = _circuitWatchers;
        _circuitWatchers = null;
        return watchers;
    }

    private void TellCircuitClosed(List<IHostCircuitWatcher>? watchers)
    {
        if (watchers is null)
        {
            return;
        }

        foreach (var watcher in watchers)
        {
            watcher.OnCircuitClosed(this);
        }
    }
}
