using Reprise.Hosts;
using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts.Evidence;

// The host stand-in, made only of what HostEvidence decides: a pause, a circuit, an AIMD limit and the rate limiter.
// With Coordinated off none of it is used.
internal sealed partial class EvidenceSimulation
{
    private static readonly TimeSpan OpenInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxOpenInterval = TimeSpan.FromSeconds(30);
    private readonly HostEvidence? _evidence;
    private readonly AdaptiveRateLimiter? _rate;

    private TimeSpan _pausedUntil;
    private double _limit;
    private int _inFlight;
    private long _grantSequence;
    private long _lastCutSequence;
    private CircuitState _circuit;
    private TimeSpan _probeAt;
    private TimeSpan _openInterval = OpenInterval;
    private int _failedProbes;
    private TimeSpan _lastProbeFailedAt;
    private int _failedProbesAtOpen;
    private TimeSpan _openedAt;

    private enum CircuitState
    {
        Closed,
        Open,
        HalfOpen,
    }

    private TimeSpan PerAttempt => ProbeTimeout + OpenInterval;

    private TimeSpan ProbeTimeout => _evidence!.ProbeTimeout(AttemptTimeout);

    private bool MayGrant(Item item, out bool probe, out TimeSpan askAgainAt)
    {
        probe = false;
        askAgainAt = Now;
        if (Now < _pausedUntil)
        {
            askAgainAt = _pausedUntil;
            return false;
        }

        if (_circuit == CircuitState.HalfOpen)
        {
            askAgainAt = TimeSpan.MaxValue; // woken by the probe's outcome
            return false;
        }

        if (_circuit == CircuitState.Open)
        {
            // A waiter whose last attempt would be sent now, with no probe failed in its time, probes at once.
            bool probesNow = Now >= WaitEnds(item) - ProbeTimeout && !FailedInLastAttempt(item);
            if (!probesNow && !_evidence!.MayProbe(Now, _probeAt, _openInterval, item.Url + 1, alreadySent: item.Attempts > 0, item.FirstFailedAt))
            {
                // Parked waiters ask again at the probe time or when their own attempts would have run out, if sooner.
                EndExhaustedWaiters(probe: null);
                askAgainAt = Now < _probeAt ? _probeAt : _probeAt + _openInterval;
                var exhaustion = WaitEnds(item);
                if (exhaustion > Now && exhaustion < askAgainAt)
                {
                    askAgainAt = exhaustion;
                }

                return false;
            }

            _circuit = CircuitState.HalfOpen;
            probe = true;
            return true;
        }

        if (_inFlight >= (int)_limit)
        {
            askAgainAt = TimeSpan.MaxValue; // woken by a completion
            return false;
        }

        if (!_evidence!.MayGrant(Now, item.AfterOwnWait, out askAgainAt))
        {
            return false;
        }

        if (_rate is not null && !_rate.TryTake(Now, out var wait))
        {
            askAgainAt = Now + wait;
            return false;
        }

        _evidence.OnGranted(Now, item.AfterOwnWait);
        return true;
    }

    private void Report(Item item, in AttemptReport report, long sequence)
    {
        var decision = _evidence!.OnCompleted(report);
        var now = report.CompletedAt;
        bool paused = false;
        if ((decision.Throttle & ThrottleActions.PauseHost) != 0 && report.RetryAfter is { } pause && now + pause > _pausedUntil)
        {
            PausedTotal += now + pause - (_pausedUntil > now ? _pausedUntil : now);
            _pausedUntil = now + pause;
            _rate?.PauseUntil(now, _pausedUntil);
            paused = true;
        }

        if (decision.EngageRate is { } checkedRate)
        {
            _rate?.Engage(now, checkedRate);
        }
        else
        {
            _rate?.OnResponse(now, throttled: report.Signal == HostSignal.Throttled, (decision.Throttle & ThrottleActions.DecreaseRate) != 0, paused, report.GrantedAt);
        }

        if (decision.CutConcurrency && sequence > _lastCutSequence)
        {
            _lastCutSequence = _grantSequence;
            _limit = Math.Max(1, _limit * 0.7);
            LowestLimit = Math.Min(LowestLimit, _limit);
        }
        else if (report.Signal == HostSignal.Accepted && _inFlight * 2 >= (int)_limit)
        {
            _limit = Math.Min(MaxConcurrency, _limit + (1 / _limit));
        }

        if (decision.Probe is { } verdict)
        {
            OnProbe(verdict, now, item);
        }
        else if (decision.OpenCircuit && _circuit == CircuitState.Closed)
        {
            CircuitOpenings++;
            _circuit = CircuitState.Open;
            _openInterval = OpenInterval;
            _probeAt = now + _openInterval;
            _failedProbesAtOpen = _failedProbes;
            _openedAt = now;
        }
    }

    private void OnProbe(ProbeVerdict verdict, TimeSpan now, Item probe)
    {
        switch (verdict)
        {
            case ProbeVerdict.Close:
                _circuit = CircuitState.Closed;
                break;
            case ProbeVerdict.Explained:
                _circuit = CircuitState.Open;
                _probeAt = now;
                break;
            default:
                _failedProbes++;
                _lastProbeFailedAt = now;
                _circuit = CircuitState.Open;
                _openInterval = _openInterval * 2 > MaxOpenInterval ? MaxOpenInterval : _openInterval * 2;
                _probeAt = now + _openInterval;
                EndExhaustedWaiters(probe);
                break;
        }
    }

    /// <summary>Each failed probe fails on behalf of everyone waiting: a waiter ends when the probes used up its attempts.</summary>
    private void EndExhaustedWaiters(Item? probe)
    {
        if (probe is not null && Exhausted(probe))
        {
            probe.Exhausted = true;
        }

        int count = _readyRetries.Count;
        for (int i = 0; i < count; i++)
        {
            var item = _readyRetries.Dequeue();
            if (item.FirstTaken is not null && Exhausted(item))
            {
                Finish(item, success: false);
            }
            else
            {
                _readyRetries.Enqueue(item);
            }
        }

        // Fresh URLs were refused since the circuit opened (the bulk engine's workers take them and park them).
        if (FailureEvidence.WaiterExhausted(_failedProbes - _failedProbesAtOpen, Now - _openedAt, MaxAttempts, PerAttempt, _lastProbeFailedAt - _openedAt, ProbeTimeout))
        {
            while (_nextFresh < Urls)
            {
                var item = new Item(_nextFresh++) { FirstTaken = Now };
                Finish(item, success: false);
            }
        }
    }

    private bool Exhausted(Item item)
    {
        int since = _failedProbes - (item.FailedProbesAtWait ?? _failedProbesAtOpen);
        var waitStart = item.WaitingSince ?? _openedAt;
        return FailureEvidence.WaiterExhausted(since, Now - waitStart, MaxAttempts - item.Attempts, PerAttempt, _lastProbeFailedAt - waitStart, ProbeTimeout);
    }

    private bool FailedInLastAttempt(Item item)
    {
        int since = _failedProbes - (item.FailedProbesAtWait ?? _failedProbesAtOpen);
        var waitStart = item.WaitingSince ?? _openedAt;
        return FailureEvidence.ProbeFailedInLastAttempt(since, _lastProbeFailedAt - waitStart, FailureEvidence.WaitBudget(MaxAttempts - item.Attempts, PerAttempt), ProbeTimeout);
    }

    private TimeSpan WaitEnds(Item item) => (item.WaitingSince ?? _openedAt) + FailureEvidence.WaitBudget(MaxAttempts - item.Attempts, PerAttempt);
}
