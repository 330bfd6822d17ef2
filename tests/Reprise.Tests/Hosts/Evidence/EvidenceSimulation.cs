using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;
using Reprise.Hosts.Evidence;
using Reprise.Timing;

namespace Reprise.Tests.Hosts.Evidence;

/// <summary>
/// A deterministic discrete-event simulation at the level of the evidence parts: a bulk-like scheduler (retries due
/// first, then fresh URLs, up to a concurrency limit) sends to an <see cref="ISimServer"/> through a host stand-in
/// made only of <see cref="HostEvidence"/>, a pause, a circuit, an AIMD limit and the <see cref="AdaptiveRateLimiter"/>.
/// With <see cref="Coordinated"/> off it is the per-request reference: the same scheduler, no host gates. Nothing sleeps.
/// </summary>
internal sealed class EvidenceSimulation
{
    private static readonly TimeSpan OpenInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxOpenInterval = TimeSpan.FromSeconds(30);
    private readonly PriorityQueue<Action, (long Ticks, long Order)> _events = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly RegistryClock _clock;
    private readonly ISimServer _server;
    private readonly Queue<Item> _readyRetries = new();
    private readonly HostEvidence? _evidence;
    private readonly AdaptiveRateLimiter? _rate;
    private long _order;
    private int _nextFresh;
    private TimeSpan _dispatchAt = TimeSpan.MaxValue;

    // The host stand-in.
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

    public EvidenceSimulation(ISimServer server, int urls, int concurrency, bool coordinated, int failureThreshold = 20)
    {
        _server = server;
        Urls = urls;
        MaxConcurrency = concurrency;
        Coordinated = coordinated;
        _limit = concurrency;
        _clock = new RegistryClock(_time);
        if (coordinated)
        {
            _evidence = new HostEvidence(failureThreshold, rateManaged: true);
            _rate = new AdaptiveRateLimiter(_clock);
        }
    }

    private enum CircuitState
    {
        Closed,
        Open,
        HalfOpen,
    }

    public int Urls { get; }

    public int MaxConcurrency { get; }

    public bool Coordinated { get; }

    public int MaxAttempts { get; init; } = 4;

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the deadline of each URL, counted from when the scheduler first takes it.</summary>
    public TimeSpan Deadline { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Gets the wait before retry n (1-based) when the server gave no Retry-After.</summary>
    public Func<int, TimeSpan> Backoff { get; init; } = n => TimeSpan.FromMilliseconds(200 * (1 << (n - 1)));

    public int Requests { get; private set; }

    public int Throttles { get; private set; }

    public int Succeeded { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Gets when the last URL finished.</summary>
    public TimeSpan Wall { get; private set; }

    /// <summary>Gets how many URLs finished before the given time.</summary>
    public List<TimeSpan> FinishedAt { get; } = [];

    /// <summary>Gets the latest finish of a URL, measured from when the scheduler first took it.</summary>
    public TimeSpan LongestFromFirstTake { get; private set; }

    public TimeSpan PausedTotal { get; private set; }

    public double LowestLimit { get; private set; } = double.MaxValue;

    public int CircuitOpenings { get; private set; }

    public ThrottleVerdict? Verdict => _evidence?.ThrottleVerdict;

    public HostEvidence? Evidence => _evidence;

    public AdaptiveRateLimiter? Rate => _rate;

    public TimeSpan Now => _clock.Now;

    private TimeSpan PerAttempt => ProbeTimeout + OpenInterval;

    private TimeSpan ProbeTimeout => _evidence!.ProbeTimeout(AttemptTimeout);

    public EvidenceSimulation Run(TimeSpan limit)
    {
        ScheduleDispatch(TimeSpan.Zero);
        while (_events.TryPeek(out _, out var at) && at.Ticks <= limit.Ticks)
        {
            var action = _events.Dequeue();
            var when = TimeSpan.FromTicks(at.Ticks);
            if (when > Now)
            {
                _time.Advance(when - Now);
            }

            action();
        }

        return this;
    }

    public int FinishedBy(TimeSpan time) => FinishedAt.Count(t => t <= time);

    private void Schedule(TimeSpan at, Action action) => _events.Enqueue(action, ((at < Now ? Now : at).Ticks, _order++));

    private void ScheduleDispatch(TimeSpan at)
    {
        if (at < Now)
        {
            at = Now;
        }

        // One pending dispatch at a time, the earliest.
        if (at < _dispatchAt)
        {
            _dispatchAt = at;
            Schedule(at, () =>
            {
                if (Now >= _dispatchAt)
                {
                    _dispatchAt = TimeSpan.MaxValue;
                    Dispatch();
                }
            });
        }
    }

    private void Dispatch()
    {
        while (true)
        {
            var item = Peek();
            if (item is null)
            {
                return;
            }

            bool probe = false;
            if (Coordinated)
            {
                if (!MayGrant(item, out probe, out var askAgainAt))
                {
                    ScheduleDispatch(askAgainAt);
                    return;
                }
            }
            else if (_inFlight >= MaxConcurrency)
            {
                return;
            }

            Take(item);
            Send(item, probe);
        }
    }

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

    private Item? Peek()
    {
        while (true)
        {
            Item? item = _readyRetries.Count > 0 ? _readyRetries.Peek() : _nextFresh < Urls ? new Item(_nextFresh) : null;
            if (item is null)
            {
                return null;
            }

            if (item.FirstTaken is null)
            {
                item.FirstTaken = Now;
                if (_readyRetries.Count == 0)
                {
                    // A fresh URL is taken from the input once, as the bulk engine's worker does.
                    _nextFresh++;
                    _readyRetries.Enqueue(item);
                }
            }

            if (Deadline != Timeout.InfiniteTimeSpan && Now - item.FirstTaken >= Deadline)
            {
                _readyRetries.Dequeue();
                Finish(item, success: false);
                continue;
            }

            return item;
        }
    }

    private void Take(Item item) => _readyRetries.Dequeue();

    private void Send(Item item, bool probe)
    {
        item.Attempts++;
        Requests++;
        var grantedAt = Now;
        long sequence = ++_grantSequence;
        if (!probe)
        {
            _inFlight++;
        }

        var answer = _server.Answer(item.Url, item.Attempts, Now);
        var timeout = probe ? _evidence!.ProbeTimeout(AttemptTimeout) : AttemptTimeout;
        if (Deadline != Timeout.InfiniteTimeSpan && item.FirstTaken + Deadline - Now < timeout)
        {
            timeout = item.FirstTaken!.Value + Deadline - Now;
        }

        var signal = answer.Hangs || answer.Latency >= timeout ? HostSignal.TimedOut : answer.Signal;
        var latency = signal == HostSignal.TimedOut ? timeout : answer.Latency;
        Schedule(Now + latency, () => Complete(item, probe, sequence, grantedAt, signal, answer.RetryAfter));
    }

    private void Complete(Item item, bool probe, long sequence, TimeSpan grantedAt, HostSignal signal, TimeSpan? retryAfter)
    {
        if (!probe)
        {
            _inFlight--;
        }

        if (signal == HostSignal.Throttled)
        {
            Throttles++;
        }

        if (Coordinated)
        {
            Report(
                item,
                new AttemptReport(item.Url + 1, signal, retryAfter, grantedAt, Now, probe)
                {
                    Attempt = item.Attempts,
                    Previous = item.Previous,
                    AfterOwnWait = item.AfterOwnWait,
                    FirstFailedAt = item.FirstFailedAt,
                },
                sequence);
        }

        item.Previous = signal;
        if (signal is HostSignal.Failed or HostSignal.TimedOut)
        {
            item.FirstFailedAt ??= Now;
        }

        item.WaitedRetryAfter = retryAfter is not null;
        if (signal == HostSignal.Accepted)
        {
            Finish(item, success: true);
        }
        else if (item.Attempts >= MaxAttempts || item.Exhausted)
        {
            Finish(item, success: false);
        }
        else
        {
            var delay = retryAfter ?? Backoff(item.Attempts);
            if (Deadline != Timeout.InfiniteTimeSpan && Now + delay - item.FirstTaken >= Deadline)
            {
                Finish(item, success: false);
            }
            else
            {
                Schedule(Now + delay, () =>
                {
                    // A request waits for the circuit from the first time it does, its own probes included.
                    item.FailedProbesAtWait ??= _failedProbes;
                    item.WaitingSince ??= Now;
                    _readyRetries.Enqueue(item);
                    ScheduleDispatch(Now);
                });
            }
        }

        ScheduleDispatch(Now);
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

    private void Finish(Item item, bool success)
    {
        if (success)
        {
            Succeeded++;
        }
        else
        {
            Failed++;
        }

        Wall = Now;
        FinishedAt.Add(Now);
        var fromTake = Now - (item.FirstTaken ?? Now);
        if (fromTake > LongestFromFirstTake)
        {
            LongestFromFirstTake = fromTake;
        }
    }

    private sealed class Item(int url)
    {
        public int Url { get; } = url;

        public int Attempts { get; set; }

        public TimeSpan? FirstTaken { get; set; }

        public int? FailedProbesAtWait { get; set; }

        public TimeSpan? WaitingSince { get; set; }

        public HostSignal? Previous { get; set; }

        public bool WaitedRetryAfter { get; set; }

        public bool Exhausted { get; set; }

        public TimeSpan? FirstFailedAt { get; set; }

        public bool AfterOwnWait => Previous == HostSignal.Throttled && WaitedRetryAfter;
    }
}
