using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

/// <summary>
/// While requests wait for an open circuit, its probes come no further apart than one of their own attempts would have
/// taken (probe timeout plus the base interval); with nobody waiting, the interval doubles as before.
/// </summary>
public sealed class HostStateProbeScheduleTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public void Complete_ProbesFailWhileRequestsWait_NextProbeNoLaterThanOneOfTheirAttempts()
    {
        var clock = Opened();
        clock.State.EnterParked();
        Wait(clock);

        FailProbeAt(clock, TimeSpan.FromSeconds(1));
        Assert.Equal(Start + TimeSpan.FromSeconds(3), clock.Snapshot.PausedUntil);
        Wait(clock);
        FailProbeAt(clock, TimeSpan.FromSeconds(3));

        // Doubled, the interval would be 4 s (the next probe at 7 s, 2 s after a 5 s outage ends); one of the waiters'
        // own attempts takes 2 s (a 1 s probe timeout plus the 1 s base interval).
        Assert.Equal(Start + TimeSpan.FromSeconds(5), clock.Snapshot.PausedUntil);
        clock.Advance(TimeSpan.FromSeconds(2));
        using var probe = clock.State.TryAcquire(isRetry: true);
        Assert.True(probe.IsProbe);
    }

    [Fact]
    public void Complete_ProbesTimeOutWhileRequestsWait_IntervalDoubles()
    {
        var clock = Opened();
        clock.State.EnterParked();
        Wait(clock);

        FailProbeAt(clock, TimeSpan.FromSeconds(1), HostSignal.TimedOut);
        Wait(clock);
        FailProbeAt(clock, TimeSpan.FromSeconds(3), HostSignal.TimedOut);

        // A host that answers nobody is probed as before: probing it as often as the waiters would try cost time.
        Assert.Equal(Start + TimeSpan.FromSeconds(7), clock.Snapshot.PausedUntil);
    }

    [Fact]
    public void Complete_ProbesFailWithNobodyWaiting_IntervalDoubles()
    {
        var clock = Opened();
        Wait(clock);

        FailProbeAt(clock, TimeSpan.FromSeconds(1));
        FailProbeAt(clock, TimeSpan.FromSeconds(3));

        Assert.Equal(Start + TimeSpan.FromSeconds(7), clock.Snapshot.PausedUntil);
    }

    [Fact]
    public void Complete_ProbeClosesTheCircuit_TellsEachWatcherOnce()
    {
        var clock = Opened();
        var watcher = new Watcher();
        Assert.True(clock.State.WatchCircuitClose(watcher));
        Assert.True(clock.State.WatchCircuitClose(watcher));

        clock.Advance(TimeSpan.FromSeconds(1));
        using var probe = clock.State.TryAcquire(isRetry: true);
        Assert.True(probe.IsProbe);
        Assert.Equal(0, watcher.Told);
        probe.Complete(HostSignal.Accepted, null);

        Assert.Equal(1, watcher.Told);
        Assert.False(clock.State.WatchCircuitClose(watcher), "a closed circuit has nothing to watch for");
    }

    private static HostTestClock Opened()
    {
        var options = new HostCoordinationOptions
        {
            RetryThrottlingEnabled = false,
            AdaptiveConcurrencyEnabled = false,
            AdaptiveRateEnabled = false,
            CircuitBreakerFailureThreshold = 5,
        };
        var clock = new HostTestClock(options) { NextRandom = 0 };
        for (int i = 0; i < 5; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        Assert.Equal(Start + TimeSpan.FromSeconds(1), clock.Snapshot.PausedUntil);
        return clock;
    }

    /// <summary>A request with four attempts left asks the open circuit how long to wait, as a bulk run's parked request does.</summary>
    private static void Wait(HostTestClock clock)
    {
        var circuitWait = CircuitWait.None;
        var wait = TimeSpan.FromSeconds(1);
        Assert.False(clock.State.CircuitWaitExhausted(ref circuitWait, attemptsLeft: 4, AttemptTimeout, ref wait));
    }

    private static void FailProbeAt(HostTestClock clock, TimeSpan at, HostSignal signal = HostSignal.Failed)
    {
        clock.Advance(Start + at - clock.Time.GetUtcNow());
        using var probe = clock.State.TryAcquire(isRetry: true);
        Assert.True(probe.IsProbe, probe.DenialReason.Describe());
        probe.Complete(signal, null);
    }

    private sealed class Watcher : IHostCircuitWatcher
    {
        public int Told { get; private set; }

        public void OnCircuitClosed(HostState host) => Told++;
    }
}
