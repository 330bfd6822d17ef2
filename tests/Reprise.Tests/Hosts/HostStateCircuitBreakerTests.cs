using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class HostStateCircuitBreakerTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static HostCoordinationOptions BreakerOnly(bool failFast = false) => new()
    {
        RetryThrottlingEnabled = false,
        AdaptiveConcurrencyEnabled = false,
        AdaptiveRateEnabled = false,
        CircuitBreakerFailureThreshold = 5,
        FailFastWhenCircuitOpen = failFast,
    };

    private static HostCoordinationOptions NoPause()
    {
        var options = BreakerOnly();
        options.PauseEnabled = false;
        return options;
    }

    private static HostCoordinationOptions MaxProbe(TimeSpan max)
    {
        var options = BreakerOnly();
        options.CircuitBreakerMaxProbeInterval = max;
        return options;
    }

    private static HostTestClock Opened(bool failFast = false)
    {
        var clock = new HostTestClock(BreakerOnly(failFast)) { NextRandom = 0 };
        for (int i = 0; i < 5; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        return clock;
    }

    [Fact]
    public void Complete_ThresholdFailuresInARow_OpensAndPausesUntilTheFirstProbe()
    {
        var clock = Opened();

        Assert.Equal(HostCircuitState.Open, clock.Snapshot.CircuitState);
        Assert.Equal(Start + TimeSpan.FromSeconds(1), clock.Snapshot.PausedUntil);
        var refused = clock.State.TryAcquire(isRetry: false);
        Assert.Equal(HostDenialReason.CircuitOpen, refused.DenialReason);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.WaitHint);
    }

    [Fact]
    public void Complete_ThresholdFailuresWhileAnOlderAttemptIsInFlight_OpensOnlyWhenItFailsToo()
    {
        var clock = new HostTestClock(BreakerOnly()) { NextRandom = 0 };
        var older = clock.State.TryAcquire(isRetry: false); // in service: a host that sheds load refuses faster than it serves
        for (int i = 0; i < 5; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        Assert.Equal(HostCircuitState.Closed, clock.Snapshot.CircuitState);

        older.Complete(HostSignal.Failed, null);
        older.Dispose();
        Assert.Equal(HostCircuitState.Open, clock.Snapshot.CircuitState);
    }

    [Fact]
    public void Complete_ThresholdFailuresWhileAnOlderAttemptHangs_OpensWithoutWaitingForIt()
    {
        var clock = new HostTestClock(BreakerOnly()) { NextRandom = 0 };
        clock.Send(HostSignal.Accepted); // the host's usual latency is known: an attempt in flight over 1 s hangs
        using var hung = clock.State.TryAcquire(isRetry: false);
        clock.Advance(TimeSpan.FromSeconds(2));

        for (int i = 0; i < 5; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        Assert.Equal(HostCircuitState.Open, clock.Snapshot.CircuitState);
    }

    [Fact]
    public void Complete_ThresholdFailuresWhileAnOlderAttemptIsInFlight_ItsAcceptanceEndsTheRun()
    {
        var clock = new HostTestClock(BreakerOnly()) { NextRandom = 0 };
        var older = clock.State.TryAcquire(isRetry: false);
        for (int i = 0; i < 5; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        older.Complete(HostSignal.Accepted, null);
        older.Dispose();
        for (int i = 0; i < 4; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        Assert.Equal(HostCircuitState.Closed, clock.Snapshot.CircuitState);
    }

    [Theory]
    [InlineData(nameof(HostSignal.Failed), true)]
    [InlineData(nameof(HostSignal.TimedOut), true)]
    [InlineData(nameof(HostSignal.Throttled), false)]
    [InlineData(nameof(HostSignal.Cancelled), false)]
    public void Complete_RunOfSignals_OpensOnlyOnFailuresAndTimeouts(string signalName, bool opens)
    {
        var signal = Enum.Parse<HostSignal>(signalName);
        var clock = new HostTestClock(NoPause());
        for (int i = 0; i < 5; i++)
        {
            clock.Send(signal);
        }

        Assert.Equal(opens ? HostCircuitState.Open : HostCircuitState.Closed, clock.Snapshot.CircuitState);
    }

    [Fact]
    public void Complete_AcceptedWithinTheRun_ResetsTheCount()
    {
        var clock = new HostTestClock(BreakerOnly());
        for (int i = 0; i < 4; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        clock.Send(HostSignal.Accepted);
        for (int i = 0; i < 4; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        Assert.Equal(HostCircuitState.Closed, clock.Snapshot.CircuitState);
    }

    [Fact]
    public void TryAcquire_ProbeIntervalPassed_GrantsExactlyOneProbe()
    {
        var clock = Opened();
        clock.Advance(TimeSpan.FromSeconds(1));

        using var probe = clock.State.TryAcquire(isRetry: false);
        using var second = clock.State.TryAcquire(isRetry: true);

        Assert.True(probe.IsAcquired && probe.IsProbe);
        Assert.False(second.IsAcquired);
        Assert.Equal(HostDenialReason.CircuitOpen, second.DenialReason);
        Assert.Equal(HostCircuitState.HalfOpen, clock.Snapshot.CircuitState);
    }

    [Fact]
    public void Complete_ProbeAccepted_ClosesTheCircuit()
    {
        var clock = Opened();
        clock.Advance(TimeSpan.FromSeconds(1));

        clock.Send(HostSignal.Accepted);

        Assert.Equal(HostCircuitState.Closed, clock.Snapshot.CircuitState);
        Assert.Null(clock.Snapshot.PausedUntil);
        Assert.True(clock.State.TryAcquire(isRetry: false).IsAcquired);
    }

    [Fact]
    public void Complete_ProbesFail_ReopenWithDoublingIntervalsUpToTheMaximum()
    {
        var clock = new HostTestClock(MaxProbe(TimeSpan.FromSeconds(5))) { NextRandom = 0 };
        for (int i = 0; i < 5; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        var intervals = new List<TimeSpan>();
        var opened = clock.Time.GetUtcNow();
        for (int probe = 0; probe < 5; probe++)
        {
            var until = clock.Snapshot.PausedUntil!.Value;
            intervals.Add(until - opened);
            clock.Advance(until - clock.Time.GetUtcNow());
            opened = clock.Time.GetUtcNow();
            var permit = clock.State.TryAcquire(isRetry: false);
            Assert.True(permit.IsProbe);
            permit.Complete(HostSignal.Failed, null);
            permit.Dispose();
        }

        Assert.Equal([1, 2, 4, 5, 5], intervals.Select(i => i.TotalSeconds));
    }

    [Fact]
    public void Complete_ProbeFailsWithRetryAfter_NextProbeAfterRetryAfter()
    {
        var clock = Opened();
        clock.Advance(TimeSpan.FromSeconds(1));

        var probe = clock.State.TryAcquire(isRetry: false);
        probe.Complete(HostSignal.Failed, TimeSpan.FromSeconds(7));

        Assert.Equal(Start + TimeSpan.FromSeconds(8), clock.Snapshot.PausedUntil);
    }

    [Fact]
    public void Dispose_ProbeNeverCompleted_LetsTheNextCallerProbeAtOnce()
    {
        var clock = Opened();
        clock.Advance(TimeSpan.FromSeconds(1));

        clock.State.TryAcquire(isRetry: false).Dispose();
        using var next = clock.State.TryAcquire(isRetry: false);

        Assert.True(next.IsProbe);
    }

    [Fact]
    public async Task AcquireAsync_OpenCircuit_WaitersWaitForTheProbeAndAllSucceedWhenItCloses()
    {
        var clock = Opened();
        var waiters = Enumerable.Range(0, 10).Select(_ => clock.State.AcquireAsync(isRetry: true, CancellationToken.None).AsTask()).ToList();

        clock.Advance(TimeSpan.FromSeconds(1));

        // Exactly one waiter became the probe; the others wait for its outcome, none was refused.
        var probe = Assert.Single(waiters, w => w.IsCompleted);
        Assert.True((await probe).IsProbe);
        (await probe).Complete(HostSignal.Accepted, null);
        clock.Advance(TimeSpan.FromSeconds(1));

        var permits = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(permits, p => Assert.True(p.IsAcquired));
        Assert.Equal(1, permits.Count(p => p.IsProbe));
    }

    [Fact]
    public async Task AcquireAsync_ProbeFails_WaitersKeepWaitingForTheNextProbe()
    {
        var clock = Opened();
        var first = clock.State.AcquireAsync(isRetry: false, CancellationToken.None).AsTask();
        var second = clock.State.AcquireAsync(isRetry: false, CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromSeconds(1));
        var probe = await first;

        probe.Complete(HostSignal.Failed, null);
        clock.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.False(second.IsCompleted);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True((await second.WaitAsync(TimeSpan.FromSeconds(30))).IsProbe);
    }

    [Fact]
    public async Task AcquireAsync_OpenCircuitWithFailFast_ReturnsCircuitOpen()
    {
        var clock = Opened(failFast: true);

        using var permit = await clock.State.AcquireAsync(isRetry: false, CancellationToken.None);

        Assert.False(permit.IsAcquired);
        Assert.Equal(HostDenialReason.CircuitOpen, permit.DenialReason);
        Assert.Equal(TimeSpan.FromSeconds(1), permit.WaitHint);
    }
}
