using Reprise.Attempts;

namespace Reprise.Timing;

/// <summary>
/// The time limits of one request, a deadline over the whole call and a timeout per attempt, on one cancellation
/// source and one timer of the <see cref="TimeProvider"/>: the timer is armed at or before whichever limit comes
/// first. An instance serves one request at a time and, through <see cref="RequestTimeoutsPool"/>, many requests in
/// turn, so that a request on the happy path creates no source and no timer.
/// </summary>
/// <remarks>
/// <para>
/// When the timer fires, the clock decides which limit passed; a timer that fired before any limit (one armed by an
/// earlier attempt or an earlier request) is moved to the next limit. So the timer only ever needs moving when a
/// limit comes earlier than the time it is armed for, which on the happy path of a reused instance is never: the
/// timer a previous request left armed 30 s ahead fires once, finds the current request's limits, and re-arms.
/// </para>
/// <para>
/// An attempt timeout cancels the source; <see cref="EndAttempt"/> then starts a fresh one for the waits and
/// attempts that follow. The caller's own cancellation reaches the source through a registration on the caller's
/// token and is told apart by checking the caller's token.
/// </para>
/// </remarks>
internal sealed class RequestTimeouts : IAttemptLimits, IDisposable
{
    private const int None = 0;
    private const int AttemptPassed = 1;
    private const int DeadlinePassed = 2;

    // The resolution of system timers: a limit less than this away when the timer fires has passed.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(1);

    // Times are kept as offsets from this instance's creation on the provider's clock; "never" is TimeSpan.MaxValue.
    private static readonly TimeSpan Never = TimeSpan.MaxValue;

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _deadline;
    private readonly TimeSpan _attemptTimeout;
    private readonly long _origin;
    private readonly ITimer? _timer;
    private CancellationTokenSource _source = new();
    private CancellationToken _callerToken;
    private CancellationTokenRegistration _callerRegistration;
    private TimeSpan _started;
    private TimeSpan _deadlineAt = Never;
    private TimeSpan _attemptEndsAt = Never;
    private TimeSpan _armedAt = Never;
    private int _passed;
    private bool _active;
    private bool _disposed;

    /// <summary>Creates an idle instance for <see cref="RequestTimeoutsPool"/>; <see cref="Start"/> begins a request.</summary>
    public RequestTimeouts(TimeSpan deadline, TimeSpan attemptTimeout, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _deadline = deadline;
        _attemptTimeout = attemptTimeout;
        _origin = timeProvider.GetTimestamp();
        if (deadline != Timeout.InfiniteTimeSpan || attemptTimeout != Timeout.InfiniteTimeSpan)
        {
            // An instance outlives the request that created it: its timer must not hold on to that request's
            // ExecutionContext (its AsyncLocals, its Activity), which a timer captures unless the flow is suppressed.
            var flow = ExecutionContext.IsFlowSuppressed() ? default(AsyncFlowControl?) : ExecutionContext.SuppressFlow();
            try
            {
                _timer = timeProvider.CreateTimer(static state => ((RequestTimeouts)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            finally
            {
                flow?.Undo();
            }
        }
    }

    /// <summary>Creates an instance that serves one request, started now.</summary>
    public RequestTimeouts(CancellationToken callerToken, TimeSpan deadline, TimeSpan attemptTimeout, TimeProvider timeProvider)
        : this(deadline, attemptTimeout, timeProvider)
    {
        Start(callerToken, timeProvider.GetTimestamp());
    }

    /// <summary>Gets the token that fires on the caller's cancellation, the deadline, or the current attempt's timeout.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Gets whether the deadline has passed.</summary>
    public bool DeadlineExceeded => Volatile.Read(ref _passed) == DeadlinePassed;

    /// <summary>Gets whether the current attempt's timeout (not the deadline, not the caller) fired.</summary>
    public bool AttemptTimedOut => Volatile.Read(ref _passed) == AttemptPassed;

    /// <summary>Gets the time since the request started.</summary>
    public TimeSpan Elapsed => ElapsedAt(_timeProvider.GetTimestamp());

    /// <summary>Gets the time from the request's start to <paramref name="timestamp"/>, a reading of the provider's clock.</summary>
    public TimeSpan ElapsedAt(long timestamp) => At(timestamp) - _started;

    /// <summary>Gets what is left of the request's deadline at <paramref name="timestamp"/> (infinite without one, never negative).</summary>
    public TimeSpan RemainingAt(long timestamp) => RequestDeadline.Remaining(_deadline, ElapsedAt(timestamp));

    /// <summary>Starts a request at <paramref name="timestamp"/>: arms its deadline and follows the caller's token.</summary>
    public void Start(CancellationToken callerToken, long timestamp)
    {
        var now = At(timestamp);
        lock (_lock)
        {
            _callerToken = callerToken;
            _started = now;
            _deadlineAt = _deadline == Timeout.InfiniteTimeSpan ? Never : now + _deadline;
            _attemptEndsAt = Never;
            _passed = None;
            _active = true;
            ArmLocked(now, _deadlineAt);
        }

        if (callerToken.CanBeCanceled)
        {
            // Runs at once when the caller has already cancelled.
            _callerRegistration = callerToken.UnsafeRegister(static state => ((RequestTimeouts)state!).OnCallerCancelled(), this);
        }
    }

    /// <summary>Starts an attempt's timeout, measured from the current time.</summary>
    public void BeginAttempt() => BeginAttempt(_timeProvider.GetTimestamp());

    /// <summary>Starts an attempt's timeout, measured from <paramref name="timestamp"/>.</summary>
    public void BeginAttempt(long timestamp)
    {
        var now = At(timestamp);
        lock (_lock)
        {
            _attemptEndsAt = _attemptTimeout == Timeout.InfiniteTimeSpan ? Never : now + _attemptTimeout;
            if (_passed == None)
            {
                ArmLocked(now, _attemptEndsAt < _deadlineAt ? _attemptEndsAt : _deadlineAt);
            }
        }
    }

    /// <inheritdoc/>
    CancellationToken IAttemptLimits.DiscardToken => Token;

    /// <inheritdoc/>
    CancellationToken IAttemptLimits.BeginAttempt(long sent)
    {
        BeginAttempt(sent);
        return Token;
    }

    /// <inheritdoc/>
    public AttemptFault Fault(Exception exception, out Exception error)
    {
        error = exception;
        if (_callerToken.IsCancellationRequested)
        {
            // The caller cancelled, however the inner handler reported it.
            return AttemptFault.Cancelled;
        }

        if (exception is not OperationCanceledException)
        {
            return AttemptFault.Error;
        }

        if (DeadlineExceeded)
        {
            return AttemptFault.DeadlinePassed;
        }

        // The attempt's timeout, or a timeout of the inner handler's own (ConnectTimeout, a nested handler).
        error = AttemptTimedOut
            ? new TimeoutException($"The attempt timed out after {_attemptTimeout.TotalSeconds:0.###} s.", exception)
            : new TimeoutException(exception.Message, exception);
        return AttemptFault.Error;
    }

    /// <summary>Ends the attempt; a source cancelled by the attempt's timeout is replaced, and the deadline re-armed.</summary>
    public void EndAttempt()
    {
        lock (_lock)
        {
            _attemptEndsAt = Never;
            if (_passed != AttemptPassed)
            {
                // The timer stays where it is: at or before the deadline, it re-arms itself when it fires early.
                return;
            }

            _source.Dispose();
            _source = new CancellationTokenSource();
            _passed = None;
            if (_callerToken.IsCancellationRequested)
            {
                // The caller cancelled while the old source was being replaced: the registration may have missed the new one.
                _source.Cancel();
            }

            ArmLocked(At(_timeProvider.GetTimestamp()), _deadlineAt);
        }
    }

    /// <summary>
    /// Ends the request. Returns whether this instance may serve another (false once disposed). Its source is kept only
    /// when nothing cancelled it and <paramref name="tokenReleased"/> says nobody holds on to its token; else a fresh
    /// one replaces it.
    /// </summary>
    /// <param name="tokenReleased">
    /// Whether everything that was given <see cref="Token"/> is done with it. A request body that an HTTP/2 connection
    /// still sends after the response came back keeps a registration on it, so a request with content passes false.
    /// </param>
    public bool End(bool tokenReleased)
    {
        // Waits for a caller cancellation that is running right now, so that none reaches the source after this.
        _callerRegistration.Dispose();
        _callerRegistration = default;
        _callerToken = default;

        lock (_lock)
        {
            _active = false;
            _attemptEndsAt = Never;
            _deadlineAt = Never;
            if (_disposed)
            {
                return false;
            }

            // A timer that decided to cancel the source set _passed first, under this lock: such a source is never reused.
            if (_passed == None && tokenReleased && _source.TryReset())
            {
                return true;
            }

            _source.Dispose();
            _source = new CancellationTokenSource();
            _passed = None;
            return true;
        }
    }

    public void Dispose()
    {
        _callerRegistration.Dispose();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _active = false;
        }

        _timer?.Dispose();
        _source.Dispose();
    }

    private TimeSpan At(long timestamp) => _timeProvider.GetElapsedTime(_origin, timestamp);

    /// <summary>Makes sure the timer fires no later than <paramref name="due"/>.</summary>
    private void ArmLocked(TimeSpan now, TimeSpan due)
    {
        if (_timer is null || due >= _armedAt || _disposed)
        {
            return;
        }

        _armedAt = due;
        var delay = due - now;
        _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        CancellationTokenSource source;
        lock (_lock)
        {
            _armedAt = Never;
            if (!_active || _passed != None || _callerToken.IsCancellationRequested)
            {
                // No request, a limit already passed, or the caller cancelled: the caller's cancellation is never a timeout.
                return;
            }

            // System timers tick in whole milliseconds and may fire a hair before the high-resolution clock agrees;
            // a limit within that hair counts as passed. A timer that fired early for any other reason re-arms.
            var now = At(_timeProvider.GetTimestamp());
            if (_deadlineAt != Never && _deadlineAt - now < Tolerance)
            {
                _passed = DeadlinePassed;
            }
            else if (_attemptEndsAt != Never && _attemptEndsAt - now < Tolerance)
            {
                _passed = AttemptPassed;
            }
            else
            {
                ArmLocked(now, _attemptEndsAt < _deadlineAt ? _attemptEndsAt : _deadlineAt);
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
            // The source was replaced while the timer was firing.
        }
    }

    private void OnCallerCancelled()
    {
        CancellationTokenSource source;
        lock (_lock)
        {
            if (!_active)
            {
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
            // Replaced after an attempt timeout: EndAttempt cancels the new source itself.
        }
    }
}
