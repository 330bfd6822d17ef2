using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Reprise.Tests.Hosts;

/// <summary>
/// A <see cref="FakeTimeProvider"/> for simulations of async code in which every actor waits on one timer at a time:
/// it fires timers one by one, in order, and after each waits until the actors are all waiting on a timer again (the
/// continuations of timer tasks run on the thread pool), so a run is the same every time. Timers fire as real ones do
/// on a coarse tick: a wait is cut to whole milliseconds and rounded up to the tick.
/// </summary>
internal sealed class SteppedTimeProvider : TimeProvider
{
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _inner = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Lock _lock = new();
    private readonly List<SteppedTimer> _armed = [];
    private readonly TimeSpan _tick;
    private int _actors;
    private long _order;

    public SteppedTimeProvider(TimeSpan tick) => _tick = tick;

    /// <summary>Gets or sets how late each timer fires beyond its tick (a loaded machine's timers), or null for never.</summary>
    public Func<TimeSpan>? Lateness { get; set; }

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override long GetTimestamp() => _inner.GetTimestamp();

    /// <summary>Counts an actor that from now on is either running or waiting on one timer.</summary>
    public void AddActor() => Interlocked.Increment(ref _actors);

    /// <summary>Ends what <see cref="AddActor"/> began.</summary>
    public void RemoveActor() => Interlocked.Decrement(ref _actors);

    /// <summary>Fires, one by one, every timer due by <paramref name="time"/> (those armed meanwhile too), then sets the time to it.</summary>
    public void RunUntil(DateTimeOffset time)
    {
        while (NextDue() is { } due && due <= time)
        {
            Step();
        }

        if (time > _inner.GetUtcNow())
        {
            _inner.SetUtcNow(time);
        }
    }

    /// <summary>Fires the next timer; false when none is armed.</summary>
    public bool Step()
    {
        SteppedTimer? next;
        lock (_lock)
        {
            next = _armed.Count == 0 ? null : _armed.MinBy(static timer => (timer.DueAt, timer.Order));
        }

        if (next is null)
        {
            return false;
        }

        if (next.DueAt > _inner.GetUtcNow())
        {
            _inner.SetUtcNow(next.DueAt);
        }

        Fire(next);
        return true;
    }

    private DateTimeOffset? NextDue()
    {
        lock (_lock)
        {
            return _armed.Count == 0 ? null : _armed.Min(static timer => timer.DueAt);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SteppedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Waits until every actor waits on a timer or has ended.</summary>
    public void Settle()
    {
        var started = Stopwatch.GetTimestamp();
        var spin = default(SpinWait);
        while (true)
        {
            lock (_lock)
            {
                if (_armed.Count >= Volatile.Read(ref _actors))
                {
                    return;
                }
            }

            if (Stopwatch.GetElapsedTime(started) > StuckAfter)
            {
                throw new InvalidOperationException($"An actor neither waits on a timer nor ends ({_armed.Count} timers for {_actors} actors).");
            }

            spin.SpinOnce();
        }
    }

    private void Fire(SteppedTimer timer)
    {
        lock (_lock)
        {
            if (!_armed.Remove(timer))
            {
                return;
            }
        }

        timer.Invoke();
        Settle();
    }

    private void Arm(SteppedTimer timer, TimeSpan dueTime)
    {
        lock (_lock)
        {
            _armed.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.DueAt = _inner.GetUtcNow() + AsTimerWaits(dueTime) + (Lateness?.Invoke() ?? TimeSpan.Zero);
            timer.Order = _order++;
            _armed.Add(timer);
        }
    }

    private void Disarm(SteppedTimer timer)
    {
        lock (_lock)
        {
            _armed.Remove(timer);
        }
    }

    /// <summary>How long a timer armed for <paramref name="wait"/> takes to fire: whole milliseconds, rounded up to the tick.</summary>
    private TimeSpan AsTimerWaits(TimeSpan wait)
    {
        double ms = Math.Floor(wait.TotalMilliseconds);
        if (_tick <= TimeSpan.Zero)
        {
            return wait;
        }

        double tick = _tick.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(ms / tick)) * tick);
    }

    private sealed class SteppedTimer(SteppedTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        public long Order { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Periodic timers are not simulated: nothing the host state arms repeats.
            owner.Arm(this, dueTime);
            return true;
        }

        public void Invoke() => callback(state);

        public void Dispose() => owner.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
