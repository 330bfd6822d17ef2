namespace Reprise.Timing;

/// <summary>
/// The time limits of one request, a deadline over the whole call and a timeout per attempt, on one cancellation
/// source and one timer of the <see cref="TimeProvider"/>: the timer is armed at whichever limit comes first. On the
/// happy path a request costs one linked source and one timer, whatever its number of limits.
/// </summary>
/// <remarks>
/// When the timer fires, the clock decides which limit passed, so a late callback for an attempt that has already
/// ended is ignored. An attempt timeout cancels the source; <see cref="EndAttempt"/> then starts a fresh one for the
/// waits and attempts that follow. The caller's own cancellation flows through the same token and is told apart by
/// checking the caller's token.
/// </remarks>
internal sealed class RequestTimeouts : IDisposable
{
    private const int None = 0;
    private const int AttemptPassed = 1;
    private const int DeadlinePassed = 2;

    // The resolution of system timers: a limit less than this away when the timer fires has passed.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(1);

    private readonly Lock _lock = new();
    private readonly CancellationToken _callerToken;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _deadline;
    private readonly TimeSpan _attemptTimeout;
    private readonly long _started;
    private readonly ITimer? _timer;
    private CancellationTokenSource _source;
    private long _attemptStarted = -1;
    private int _passed;

    public RequestTimeouts(CancellationToken callerToken, TimeSpan deadline, TimeSpan attemptTimeout, TimeProvider timeProvider)
    {
        _callerToken = callerToken;
        _timeProvider = timeProvider;
        _deadline = deadline;
        _attemptTimeout = attemptTimeout;
        _started = timeProvider.GetTimestamp();
        _source = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        if (deadline != Timeout.InfiniteTimeSpan || attemptTimeout != Timeout.InfiniteTimeSpan)
        {
            _timer = timeProvider.CreateTimer(static state => ((RequestTimeouts)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            ArmDeadline();
        }
    }

    /// <summary>Gets the token that fires on the caller's cancellation, the deadline, or the current attempt's timeout.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Gets whether the deadline has passed.</summary>
    public bool DeadlineExceeded => Volatile.Read(ref _passed) == DeadlinePassed;

    /// <summary>Gets whether the current attempt's timeout (not the deadline, not the caller) fired.</summary>
    public bool AttemptTimedOut => Volatile.Read(ref _passed) == AttemptPassed;

    /// <summary>Gets the time since the request started.</summary>
    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(_started);

    /// <summary>Starts an attempt's timeout: the timer moves to the attempt's end when that comes before the deadline.</summary>
    public void BeginAttempt()
    {
        lock (_lock)
        {
            _attemptStarted = _timeProvider.GetTimestamp();
            if (_timer is null || _attemptTimeout == Timeout.InfiniteTimeSpan || _passed != None)
            {
                return;
            }

            var untilDeadline = UntilDeadline();
            if (untilDeadline is null || _attemptTimeout < untilDeadline)
            {
                _timer.Change(_attemptTimeout, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Ends the attempt: the timer goes back to the deadline, and a source cancelled by the attempt's timeout is replaced.</summary>
    public void EndAttempt()
    {
        lock (_lock)
        {
            _attemptStarted = -1;
            if (_passed == AttemptPassed)
            {
                _source.Dispose();
                _source = CancellationTokenSource.CreateLinkedTokenSource(_callerToken);
                _passed = None;
            }

            if (_passed == None)
            {
                ArmDeadline();
            }
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            _source.Dispose();
        }
    }

    private TimeSpan? UntilDeadline()
        => _deadline == Timeout.InfiniteTimeSpan ? null : _deadline - _timeProvider.GetElapsedTime(_started);

    private void ArmDeadline()
    {
        var untilDeadline = UntilDeadline();
        _timer?.Change(untilDeadline is { } due ? (due > TimeSpan.Zero ? due : TimeSpan.Zero) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        CancellationTokenSource source;
        lock (_lock)
        {
            if (_passed != None || _callerToken.IsCancellationRequested)
            {
                // Already passed, or the caller cancelled: the caller's cancellation is never a timeout.
                return;
            }

            // System timers tick in whole milliseconds and may fire a hair before the high-resolution clock agrees;
            // a limit within that hair counts as passed, and a timer that fired early for any other reason re-arms.
            var untilDeadline = UntilDeadline();
            var untilAttemptEnd = _attemptStarted >= 0 && _attemptTimeout != Timeout.InfiniteTimeSpan
                ? _attemptTimeout - _timeProvider.GetElapsedTime(_attemptStarted)
                : (TimeSpan?)null;
            if (untilDeadline < Tolerance)
            {
                _passed = DeadlinePassed;
            }
            else if (untilAttemptEnd < Tolerance)
            {
                _passed = AttemptPassed;
            }
            else
            {
                var due = untilAttemptEnd is { } attemptDue && (untilDeadline is null || attemptDue < untilDeadline) ? attemptDue : untilDeadline;
                _timer!.Change(due ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }

            source = _source;
        }

        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request ended while the timer was firing.
        }
    }
}
