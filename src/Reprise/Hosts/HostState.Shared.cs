namespace Reprise.Hosts;

/// <summary>
/// The host's view shared with other processes (<see cref="HostCoordinationOptions.SharedState"/>, e.g. Reprise.Redis):
/// asked before the local gates, told every outcome. Without one, every method here passes.
/// </summary>
internal sealed partial class HostState
{
    /// <summary>The retry-throttle counts of every process when the shared view has fresh ones; null to decide on the local counts.</summary>
    private (long Requests, long Accepts)? SharedRetryCountsLocked()
        => _options.SharedState is { } shared && shared.TryGetRetryCounts(Key, out long requests, out long accepts) ? (requests, accepts) : null;

    /// <summary>Asks the shared view of the host (<see cref="HostCoordinationOptions.SharedState"/>) before the local gates.</summary>
    private bool SharedRefusesLocked(out Gate gate, out TimeSpan wait)
    {
        var decision = _options.SharedState?.Check(Key) ?? SharedHostDecision.Pass;
        gate = decision.Verdict == SharedHostVerdict.CircuitOpen ? Gate.CircuitOpen : Gate.Paused;
        wait = decision.Wait;
        return decision.Verdict != SharedHostVerdict.Pass;
    }

    /// <summary>Takes a token of the host's shared rate once the local limits passed; when refused, gives the local rate token back (the caller frees the slot).</summary>
    private bool TakeSharedTokenLocked(out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (_options.SharedState is not { } shared || shared.TryTakeToken(Key, _rate?.CurrentRate ?? _options.RateLimit, out wait))
        {
            return true;
        }

        // The shared rate made the request wait: the adaptive rate binds (through every process's sends), so it stays engaged.
        _rate?.Unreserve(bound: true);
        return false;
    }

    /// <summary>Tells the shared view what an outcome showed, and whether it paused the host or opened its circuit.</summary>
    private void ReportSharedLocked(HostSignal signal, (TimeSpan PauseUntil, TimeSpan NextProbeAt) before)
    {
        if (_options.SharedState is not { } shared)
        {
            return;
        }

        var outcome = signal switch
        {
            HostSignal.Accepted => SharedHostOutcome.Accepted,
            HostSignal.Throttled => SharedHostOutcome.Throttled,
            HostSignal.Cancelled => SharedHostOutcome.Cancelled,
            _ => SharedHostOutcome.Failed,
        };
        DateTimeOffset? paused = _pause.Until > before.PauseUntil ? _context.ToUtc(_pause.Until) : null;
        DateTimeOffset? opened = _circuit.State == HostCircuitState.Open && _circuit.NextProbeAt > before.NextProbeAt ? _context.ToUtc(_circuit.NextProbeAt) : null;
        shared.Report(Key, new SharedHostReport(outcome, paused, opened));
    }
}
