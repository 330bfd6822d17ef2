using System.Diagnostics;
using Reprise.Timing;

namespace Reprise.Bulk;

/// <summary>
/// Holds work that must wait (a retry's backoff or <c>Retry-After</c>, a host that is paused or at its limit) and hands
/// each item back when its time comes. One <see cref="ITimer"/> of the clock's <see cref="TimeProvider"/> is armed for
/// the earliest due time, so a million waiting items cost one timer, and waiting items hold no worker.
/// </summary>
/// <remarks>
/// Due times are registry times (<see cref="RegistryClock"/>), the time the host gates compute in, so a parked
/// item's due time and its host's pause end are numbers on one scale. Items due at the same time come out in the order
/// they went in. The callback runs on the timer's thread (inline in <c>FakeTimeProvider.Advance</c>), outside the lock,
/// and must be cheap and never throw: the bulk engine's only writes the item to an unbounded channel.
/// </remarks>
/// <typeparam name="T">The type of the waiting items.</typeparam>
internal sealed class DelayQueue<T> : IDisposable
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    private readonly PriorityQueue<T, (TimeSpan Due, long Sequence)> _queue = new();
    private readonly RegistryClock _clock;
    private readonly Action<T, object?> _onDue;
    private readonly object? _state;
    private readonly ITimer _timer;
    private readonly object _lock = new();
    private long _sequence;
    private TimeSpan _armedFor = TimeSpan.MaxValue;
    private bool _closed;

    /// <summary>Initializes a new instance of the <see cref="DelayQueue{T}"/> class.</summary>
    /// <param name="clock">The clock: the registry's, whose time the due times are in.</param>
    /// <param name="onDue">Called with each item when it is due, and with the <paramref name="state"/>.</param>
    /// <param name="state">The state passed to <paramref name="onDue"/>, so the callback needs no closure.</param>
    public DelayQueue(RegistryClock clock, Action<T, object?> onDue, object? state)
    {
        _clock = clock;
        _onDue = onDue;
        _state = state;
        _timer = clock.Provider.CreateTimer(static s => ((DelayQueue<T>)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets how many items are waiting.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Adds an item due after <paramref name="delay"/>. An item due now is handed back at once, on the caller's
    /// thread, without a timer.
    /// </summary>
    /// <returns><see langword="false"/> when the queue is closed: the caller keeps the item.</returns>
    public bool TryEnqueue(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            lock (_lock)
            {
                if (_closed)
                {
                    return false;
                }
            }

            _onDue(item, _state);
            return true;
        }

        var now = _clock.Now;
        var due = now + delay;
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _queue.Enqueue(item, (due, _sequence++));
            if (due < _armedFor)
            {
                // Re-armed only for an earlier item: a later one is found when the timer fires for the earlier.
                Arm(due, now);
            }
        }

        return true;
    }

    /// <summary>Closes the queue and returns every waiting item, in due order; later adds are refused.</summary>
    public List<T> Close()
    {
        lock (_lock)
        {
            _closed = true;
            _armedFor = TimeSpan.MaxValue;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            var items = new List<T>(_queue.Count);
            while (_queue.TryDequeue(out var item, out _))
            {
                items.Add(item);
            }

            return items;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _timer.Dispose();

    private void OnTimer()
    {
        List<T>? due = null;
        T? single = default;
        var count = 0;
        lock (_lock)
        {
            _armedFor = TimeSpan.MaxValue;
            var now = _clock.Now;
            while (_queue.TryPeek(out var item, out var priority))
            {
                if (priority.Due > now)
                {
                    Arm(priority.Due, now);
                    break;
                }

                _queue.Dequeue();
                if (count == 0)
                {
                    single = item;
                }
                else
                {
                    due ??= [single!];
                    due.Add(item);
                }

                count++;
            }
        }

        // Outside the lock: the callback may enqueue again (a host refusal parks the item anew).
        if (count == 1)
        {
            _onDue(single!, _state);
        }
        else if (due is not null)
        {
            foreach (var item in due)
            {
                _onDue(item, _state);
            }
        }
    }

    private void Arm(TimeSpan due, TimeSpan now)
    {
        Debug.Assert(Monitor.IsEntered(_lock), "Armed under the lock so that arming for an earlier item always wins.");
        _armedFor = due;

        // Never armed for zero or less: a fake clock would fire inline, re-entering the lock mid-update. A timer that
        // fires after the wait finds the due item due: registry time is read rounded down to whole ticks, never early.
        var wait = due - now;
        _timer.Change(wait < OneTick ? OneTick : wait, Timeout.InfiniteTimeSpan);
    }
}
