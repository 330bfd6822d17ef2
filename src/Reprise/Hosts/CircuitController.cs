using System.Diagnostics;
using Reprise.Retry;

namespace Reprise.Hosts;

/// <summary>What the circuit says to a caller who asks to send.</summary>
internal enum CircuitCheck
{
    /// <summary>Closed: the other gates decide.</summary>
    Pass,

    /// <summary>The caller is the single probe of an open circuit (the circuit is now half-open).</summary>
    Probe,

    /// <summary>Open until the next probe time.</summary>
    Open,

    /// <summary>Half-open: the probe is in flight and everyone else waits for its outcome.</summary>
    Probing,
}

/// <summary>
/// A host's circuit: its state and transitions (closed, open until the next probe, half-open while the single probe is in
/// flight). When to break and how long to stay open is the <see cref="CircuitBehavior"/>'s decision, as Polly.Core splits
/// <c>CircuitStateController</c> from <c>CircuitBehavior</c>.
/// </summary>
/// <remarks>Not thread-safe and reads no clock: <see cref="HostState"/> calls every method under its lock with the registry's time.</remarks>
internal sealed class CircuitController
{
    /// <summary>The least time past the probe time that a request fit to probe has before anyone may (timers and scheduling).</summary>
    internal static readonly TimeSpan MinProbeGrace = TimeSpan.FromMilliseconds(100);

    private readonly CircuitBehavior? _behavior;
    private readonly TimeSpan _maxProbeWait;
    private readonly TimeSpan _maxPause;
    private readonly Action<HostCircuitState, HostCircuitState>? _changed;
    private readonly double _graceShare;
    private bool _anyoneProbes;

    // The probe time the behaviour had set when a waiter's last try moved the probe earlier (ProbeNow): a last try that
    // fails keeps to it rather than back off further, since the behaviour did not ask for that probe.
    private TimeSpan? _scheduledProbeAt;

    /// <param name="behavior">The policy; null when the breaker is off (the circuit then stays closed).</param>
    /// <param name="maxProbeWait">How long waiters wait for a probe's outcome before asking again (a probe never reported).</param>
    /// <param name="maxPause">The longest the circuit stays open, whatever the server asked for.</param>
    /// <param name="changed">Told of every transition, from and to.</param>
    /// <param name="graceShare">
    /// The share of the open interval past the probe time during which only a request fit to probe may: the release spread,
    /// by the end of which every request waiting for the probe time has asked (at least <see cref="MinProbeGrace"/>).
    /// </param>
    public CircuitController(
        CircuitBehavior? behavior, TimeSpan maxProbeWait, TimeSpan maxPause, Action<HostCircuitState, HostCircuitState>? changed, double graceShare = 1)
    {
        _behavior = behavior;
        _maxProbeWait = maxProbeWait;
        _maxPause = maxPause;
        _changed = changed;
        _graceShare = graceShare;
    }

    public HostCircuitState State { get; private set; }

    /// <summary>The circuit the options describe: broken by <see cref="ConsecutiveFailuresBehavior"/>, or never when the breaker is off.</summary>
    public static CircuitController For(HostCoordinationOptions options, Action<HostCircuitState, HostCircuitState> changed) => new(
        options.CircuitBreakerEnabled
            ? new ConsecutiveFailuresBehavior(options.CircuitBreakerFailureThreshold, options.CircuitBreakerProbeInterval, options.CircuitBreakerMaxProbeInterval)
            : null,
        options.CircuitBreakerMaxProbeInterval,
        options.MaxPause,
        changed,
        options.PauseReleaseSpread);

    /// <summary>
    /// Gets how long past the probe time only a request fit to probe may: the requests that waited for it have all asked
    /// by then (a whole interval, as before, held the circuit open one more interval when every waiter was a fresh URL:
    /// the handler's outage row ended at 11.4 s instead of 7 s).
    /// </summary>
    private TimeSpan ProbeGrace
    {
        get
        {
            var grace = TimeSpan.FromTicks((long)(OpenInterval.Ticks * _graceShare));
            return grace > MinProbeGrace ? grace : MinProbeGrace;
        }
    }

    /// <summary>Gets when an open circuit lets its probe through.</summary>
    public TimeSpan NextProbeAt { get; private set; }

    /// <summary>Gets how long the circuit last opened for: what the release spread is a share of.</summary>
    public TimeSpan OpenInterval { get; private set; }

    /// <summary>Asks to send at <paramref name="now"/>; an open circuit whose probe time has come makes the caller its probe.</summary>
    public CircuitCheck Check(TimeSpan now, out TimeSpan wait) => Check(now, mayProbe: true, out wait);

    /// <summary>
    /// Asks to send at <paramref name="now"/>; an open circuit whose probe time has come makes the caller its probe when
    /// <paramref name="mayProbe"/> (a request fit to probe), or anyone once the grace has passed with no such request.
    /// </summary>
    public CircuitCheck Check(TimeSpan now, bool mayProbe, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        switch (State)
        {
            case HostCircuitState.Open when now >= NextProbeAt && (mayProbe || _anyoneProbes || now >= NextProbeAt + ProbeGrace):
                Transition(HostCircuitState.HalfOpen);
                return CircuitCheck.Probe;

            case HostCircuitState.Open when now >= NextProbeAt:
                wait = NextProbeAt + ProbeGrace - now;
                return CircuitCheck.Open;

            case HostCircuitState.Open:
                wait = NextProbeAt - now;
                return CircuitCheck.Open;

            case HostCircuitState.HalfOpen:
                // Woken by the probe's outcome; the wait only guards against a probe that is never reported.
                wait = _maxProbeWait;
                return CircuitCheck.Probing;

            default:
                return CircuitCheck.Pass;
        }
    }

    /// <summary>Takes in an attempt's outcome; <paramref name="retryAfter"/> is the server's (capped) wait, if any.</summary>
    /// <returns>Whether the circuit opened (or reopened): nobody is sent before <see cref="NextProbeAt"/>.</returns>
    public bool OnOutcome(TimeSpan now, bool isProbe, HostSignal signal, TimeSpan? retryAfter)
        => OnOutcome(now, isProbe, signal, retryAfter, breaks: null, explained: false);

    /// <summary>Takes in an attempt's outcome with the evidence's decision (<see cref="Evidence.HostEvidence"/>).</summary>
    /// <param name="now">When the attempt ended.</param>
    /// <param name="isProbe">Whether it was the probe.</param>
    /// <param name="signal">Its outcome.</param>
    /// <param name="retryAfter">The server's (capped) wait, if any.</param>
    /// <param name="breaks">Whether the evidence says to open, or null to ask the behavior.</param>
    /// <param name="explained">Whether a failed probe's own URL explains its failure: another request probes at once.</param>
    /// <returns>Whether the circuit opened (or reopened): nobody is sent before <see cref="NextProbeAt"/>.</returns>
    public bool OnOutcome(TimeSpan now, bool isProbe, HostSignal signal, TimeSpan? retryAfter, bool? breaks, bool explained)
    {
        if (isProbe)
        {
            if (explained && signal != HostSignal.Accepted && State == HostCircuitState.HalfOpen)
            {
                Transition(HostCircuitState.Open);
                NextProbeAt = now;
                return false;
            }

            return OnProbeOutcome(now, signal, retryAfter);
        }

        if (_behavior is not null && State == HostCircuitState.Closed && (breaks ?? _behavior.OnClosedOutcome(signal)))
        {
            Open(now, retryAfter ?? _behavior.OpenInterval);
            return true;
        }

        return false;
    }

    /// <summary>Gets how many probes have failed on this host: a waiter compares it with the count when it began to wait.</summary>
    public int FailedProbes { get; private set; }

    /// <summary>Gets when the last failed probe ended (<see cref="TimeSpan.MinValue"/> before any).</summary>
    public TimeSpan LastProbeFailedAt { get; private set; } = TimeSpan.MinValue;

    /// <summary>
    /// Lets an open circuit's probe go now, sent by whoever asks first: a request waiting for the circuit whose own
    /// attempts would have run out by now, with no probe failed in the last of them, tries the host before it gives up.
    /// </summary>
    /// <returns>False when the circuit is not open (closed, or its probe is already out).</returns>
    public bool ProbeNow(TimeSpan now)
    {
        if (State != HostCircuitState.Open)
        {
            return false;
        }

        if (NextProbeAt > now)
        {
            _scheduledProbeAt ??= NextProbeAt;
            NextProbeAt = now;
        }

        _anyoneProbes = true;
        return true;
    }

    private bool OnProbeOutcome(TimeSpan now, HostSignal signal, TimeSpan? retryAfter)
    {
        Debug.Assert(State == HostCircuitState.HalfOpen && _behavior is not null, "Only the probe of a half-open circuit is a probe.");
        var scheduled = _scheduledProbeAt;
        _scheduledProbeAt = null;
        switch (signal)
        {
            case HostSignal.Accepted:
                Transition(HostCircuitState.Closed);
                _behavior.OnClosed();
                return false;

            case HostSignal.Cancelled:
                // Says nothing about the host: the next waiter probes at once.
                Transition(HostCircuitState.Open);
                NextProbeAt = now;
                return false;

            case not HostSignal.Accepted when retryAfter is null && scheduled > now:
                // A waiter's last try, sent before the behaviour's probe time: the circuit stays open until then.
                FailedProbes++;
                LastProbeFailedAt = now;
                Transition(HostCircuitState.Open);
                NextProbeAt = scheduled.Value;
                return true;

            default:
                FailedProbes++;
                LastProbeFailedAt = now;
                var backoff = _behavior.OnProbeFailed();
                Open(now, retryAfter ?? backoff);
                return true;
        }
    }

    private void Open(TimeSpan now, TimeSpan interval)
    {
        // The server's wait (already capped) or the behaviour's own interval: never longer than MaxPause.
        interval = ServerWait.Of(interval, ServerWait.NoLimit, _maxPause).ForHost ?? interval;

        Transition(HostCircuitState.Open);
        OpenInterval = interval;
        NextProbeAt = now + interval;
    }

    private void Transition(HostCircuitState to)
    {
        var from = State;
        State = to;
        _anyoneProbes = false;
        if (from != to)
        {
            _changed?.Invoke(from, to);
        }
    }
}
