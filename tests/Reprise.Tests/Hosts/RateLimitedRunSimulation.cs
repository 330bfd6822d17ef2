using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;
using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts;

/// <summary>
/// A deterministic discrete-event simulation of a whole bulk run against a token-bucket host: a scheduler as the bulk
/// engine's (retries whose Retry-After has passed first, then fresh URLs) asks the real <see cref="HostState"/> for
/// permits with each URL's key and history (<see cref="UrlHistory"/>), so the evidence judges the throttles as it does in
/// the bulk engine. A refused head of the line asks again after its wait hint; a throttled URL waits its own
/// Retry-After (whole seconds, as HTTP sends it). Time is a <see cref="FakeTimeProvider"/>; nothing sleeps.
/// </summary>
/// <remarks>
/// A timer granularity makes the wake-ups of a refused request as coarse as real timers are: .NET's timers on Linux
/// (measured on the 2-core bench machine) truncate the wait to whole milliseconds and fire on a 4 ms tick, so a wait of
/// 1-4 ms takes 4 ms and one of 5-8 ms takes 8 ms (Windows' default tick is 15.6 ms).
/// </remarks>
internal sealed class RateLimitedRunSimulation
{
    private static readonly Uri Host = new("http://limited.test/");
    private readonly PriorityQueue<Action, (long Ticks, long Order)> _events = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Queue<Item> _ready = new();
    private readonly DateTimeOffset _start;
    private readonly HostState _state;
    private readonly SimulatedTokenBucket _server;
    private readonly TimeSpan _responseTime;
    private readonly int _urls;
    private readonly TimeSpan _timerGranularity;
    private long _order;
    private int _nextFresh;
    private TimeSpan _dispatchAt = TimeSpan.MaxValue;

    public RateLimitedRunSimulation(double serverRate, double serverBurst, int urls, int concurrency, TimeSpan responseTime, TimeSpan timerGranularity = default)
    {
        _timerGranularity = timerGranularity;
        _start = _time.GetUtcNow();
        var random = new Random(12345);
        var registry = new HostRegistry(new HostCoordinationOptions { MaxConcurrency = concurrency }, _time, random.NextDouble);
        _state = registry.GetState(Host);
        _server = new SimulatedTokenBucket(_time, serverRate, serverBurst);
        _responseTime = responseTime;
        _urls = urls;
    }

    public int Requests { get; private set; }

    public int Throttles { get; private set; }

    public int Succeeded { get; private set; }

    /// <summary>Gets when the last URL was served.</summary>
    public TimeSpan Wall { get; private set; }

    public HostState State => _state;

    /// <summary>Gets the rate, the served count and the 429s every quarter second (and each throttle's effect on the rate).</summary>
    public List<string> Trace { get; } = [];

    private TimeSpan Now => _time.GetUtcNow() - _start;

    public RateLimitedRunSimulation Run(TimeSpan limit)
    {
        for (var at = TimeSpan.Zero; at <= limit; at += TimeSpan.FromSeconds(0.25))
        {
            Schedule(at, () => Trace.Add($"{Now.TotalSeconds:F2}s rate={_state.RateLimiter?.CurrentRate:F1} measured={_state.RateLimiter?.MeasuredRate:F1} served={Succeeded} 429={Throttles}"));
        }

        ScheduleDispatch(TimeSpan.Zero);
        while (Succeeded < _urls && _events.TryPeek(out _, out var at) && at.Ticks <= limit.Ticks)
        {
            var action = _events.Dequeue();
            var when = _start + TimeSpan.FromTicks(at.Ticks);
            if (when > _time.GetUtcNow())
            {
                _time.SetUtcNow(when);
            }

            action();
        }

        return this;
    }

    private void Schedule(TimeSpan at, Action action) => _events.Enqueue(action, ((at < Now ? Now : at).Ticks, _order++));

    private void ScheduleDispatch(TimeSpan at)
    {
        // One pending dispatch at a time, the earliest.
        if (at < _dispatchAt)
        {
            _dispatchAt = at < Now ? Now : at;
            Schedule(_dispatchAt, () =>
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
        while (_ready.Count > 0 || _nextFresh < _urls)
        {
            var item = _ready.Count > 0 ? _ready.Peek() : new Item(UrlHistory.First(_nextFresh + 1));
            var permit = _state.TryAcquire(isRetry: item.History.Attempt > 1, retryAlreadyCounted: item.RetryCounted, item.History);
            if (!permit.IsAcquired)
            {
                if (_ready.Count == 0)
                {
                    // A fresh URL refused is taken from the input and waits first in line, as the bulk engine's worker parks it.
                    _nextFresh++;
                    _ready.Enqueue(item);
                }

                item.RetryCounted |= permit.DenialReason == HostDenialReason.RetryBudgetExhausted;
                if (permit.DenialReason != HostDenialReason.ConcurrencyLimit)
                {
                    ScheduleDispatch(Now + AsTimerWaits(permit.WaitHint > TimeSpan.Zero ? permit.WaitHint : TimeSpan.FromMilliseconds(1)));
                }

                return;
            }

            if (_ready.Count > 0)
            {
                _ready.Dequeue();
            }
            else
            {
                _nextFresh++;
            }

            Send(item, permit);
        }
    }

    private void Send(Item item, HostPermit permit)
    {
        Requests++;
        bool accepted = _server.TryTake();
        TimeSpan? retryAfter = accepted ? null : _server.RetryAfter();
        if (!accepted)
        {
            Throttles++;
        }

        Schedule(Now + _responseTime, () =>
        {
            double? before = _state.RateLimiter?.CurrentRate;
            var signal = accepted ? HostSignal.Accepted : HostSignal.Throttled;
            permit.Complete(signal, retryAfter);
            permit.Dispose();
            if (accepted)
            {
                Succeeded++;
                Wall = Now;
            }
            else
            {
                Trace.Add($"  {Now.TotalSeconds:F3}s 429: rate {before:F1} -> {_state.RateLimiter?.CurrentRate:F1} measured={_state.RateLimiter?.MeasuredRate:F1}");
                item.History = item.History.Next(signal, afterOwnWait: true, Now);
                item.RetryCounted = false;
                Schedule(Now + retryAfter!.Value, () =>
                {
                    _ready.Enqueue(item);
                    ScheduleDispatch(Now);
                });
            }

            ScheduleDispatch(Now);
        });
    }

    /// <summary>How long a timer armed for <paramref name="wait"/> takes to fire: whole milliseconds, rounded up to the tick.</summary>
    private TimeSpan AsTimerWaits(TimeSpan wait)
    {
        double ms = Math.Floor(wait.TotalMilliseconds);
        if (_timerGranularity <= TimeSpan.Zero || ms < 1)
        {
            return wait;
        }

        double tick = _timerGranularity.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(Math.Ceiling(ms / tick) * tick);
    }

    private sealed class Item(UrlHistory history)
    {
        public UrlHistory History { get; set; } = history;

        public bool RetryCounted { get; set; }
    }
}
