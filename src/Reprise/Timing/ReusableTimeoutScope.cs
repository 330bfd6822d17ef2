namespace Reprise.Timing;

/// <summary>
/// A <see cref="TimeoutScope"/> for an owner that runs one operation after another (a bulk worker's attempts and
/// body reads): one token source, one timer and one registration on the parent token, re-armed for each operation,
/// instead of a new linked token source and a new timer per operation.
/// </summary>
/// <remarks>
/// <para>
/// Not thread-safe: one owner calls <see cref="Start"/>, awaits its operation, reads <see cref="TimedOut"/>, then calls
/// <see cref="Stop"/> before the next <see cref="Start"/>.
/// </para>
/// <para>
/// <see cref="CancellationTokenSource.TryReset"/> does the hard part: it succeeds only when the source was not
/// cancelled and its timer never fired, so a timer that fired as an operation ended can never cancel the next one.
/// When it fails (a timeout fired, or a <see cref="TimeProvider"/> other than the system's, whose timers the source
/// cannot reset) the source is replaced. Timeouts are in whole milliseconds, as the system timer's are.
/// </para>
/// </remarks>
internal sealed class ReusableTimeoutScope : IDisposable
{
    private readonly CancellationToken _parent;
    private readonly TimeProvider _timeProvider;
    private CancellationTokenSource _source;
    private CancellationTokenRegistration _link;

    public ReusableTimeoutScope(CancellationToken parent, TimeProvider timeProvider)
    {
        _parent = parent;
        _timeProvider = timeProvider;
        (_source, _link) = Create();
    }

    /// <summary>
    /// Gets whether the last operation's timeout fired. Nothing but the timer and the parent cancels the source, so a
    /// cancelled source whose parent is not cancelled timed out, as <see cref="TimeoutScope.TimedOut"/> tells.
    /// </summary>
    public bool TimedOut => _source.IsCancellationRequested && !_parent.IsCancellationRequested;

    /// <summary>Starts an operation: returns a token that fires on the parent's cancellation or after <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The operation's timeout, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <returns>The operation's token.</returns>
    public CancellationToken Start(TimeSpan timeout)
    {
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _source.CancelAfter(timeout);
        }

        return _source.Token;
    }

    /// <summary>Ends the operation: disarms the timer, and replaces the source if it cannot be used again.</summary>
    public void Stop()
    {
        if (!_source.TryReset())
        {
            _link.Dispose();
            _source.Dispose();
            (_source, _link) = Create();
        }
    }

    public void Dispose()
    {
        _link.Dispose();
        _source.Dispose();
    }

    private (CancellationTokenSource Source, CancellationTokenRegistration Link) Create()
    {
        // A source with a timer of the provider's (unarmed), so that CancelAfter follows a fake clock in tests.
        var source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        var link = _parent.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source);
        return (source, link);
    }
}
