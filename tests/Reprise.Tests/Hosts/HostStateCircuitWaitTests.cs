using Reprise.Hosts;
using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts;

/// <summary>
/// A request waiting for an open circuit waits no longer than its own attempts left would have taken, once a probe
/// failed meanwhile (the handler's path; <see cref="HostState.CircuitWaitExhausted"/> is the rule of both paths).
/// </summary>
public sealed class HostStateCircuitWaitTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task AcquireAsync_ProbeFailedAndAttemptsLeftWouldHaveRunOut_RefusesWithCircuitOpen()
    {
        var clock = OpenedAndProbing(out var probe);
        var waiter = clock.State.AcquireAsync(default, isRetry: true, Budget(attemptsLeft: 1), CancellationToken.None).AsTask();

        probe.Complete(HostSignal.Failed, null);
        probe.Dispose();

        // One attempt left would have taken a probe's timeout plus the interval (10.2 s); the next probe is 20 s away.
        await AdvanceUntilAsync(clock, waiter, TimeSpan.FromSeconds(18));
        Assert.True(waiter.IsCompleted, "the waiter still waits for the circuit past its attempts' worth");
        using var permit = await waiter;
        Assert.False(permit.IsAcquired);
        Assert.Equal(HostDenialReason.CircuitOpen, permit.DenialReason);
        Assert.Equal(HostCircuitState.Open, clock.Snapshot.CircuitState);
    }

    [Fact]
    public async Task AcquireAsync_NoProbeFailedWhileWaiting_KeepsWaiting()
    {
        var clock = OpenedAndProbing(out var probe);
        using var cts = new CancellationTokenSource();
        var waiter = clock.State.AcquireAsync(default, isRetry: true, Budget(attemptsLeft: 1), cts.Token).AsTask();

        // The probe is still out: the host has not failed anyone, so the wait goes on however long it takes.
        await AdvanceUntilAsync(clock, waiter, TimeSpan.FromSeconds(18));
        Assert.False(waiter.IsCompleted);

        probe.Complete(HostSignal.Accepted, null);
        probe.Dispose();
        await AdvanceUntilAsync(clock, waiter, TimeSpan.FromSeconds(18));
        using var permit = await waiter;
        Assert.True(permit.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_ProbeFailedWithoutAttemptsBudget_WaitsForTheNextProbe()
    {
        var clock = OpenedAndProbing(out var probe);
        var waiter = clock.State.AcquireAsync(isRetry: true, CancellationToken.None).AsTask();

        probe.Complete(HostSignal.Failed, null);
        probe.Dispose();

        // With no attempts to weigh the wait against, the waiter goes on to probe the host itself.
        await AdvanceUntilAsync(clock, waiter, TimeSpan.FromSeconds(30));
        using var permit = await waiter;
        Assert.True(permit.IsAcquired);
        Assert.True(permit.IsProbe);
    }

    [Fact]
    public async Task AcquireAsync_MoreAttemptsLeft_WaitsThroughTheFirstFailedProbe()
    {
        var clock = OpenedAndProbing(out var probe);
        using var cts = new CancellationTokenSource();
        var waiter = clock.State.AcquireAsync(default, isRetry: true, Budget(attemptsLeft: 3), cts.Token).AsTask();

        probe.Complete(HostSignal.Failed, null);
        probe.Dispose();

        // Three attempts would have taken 30.6 s: one failed probe, 18 s later, is not yet reason to give up.
        await AdvanceUntilAsync(clock, waiter, TimeSpan.FromSeconds(18));
        Assert.False(waiter.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
    }

    [Fact]
    public async Task AcquireAsync_AttemptsTimeUpWithOnlyAnOldFailedProbe_ProbesTheHostItself()
    {
        var clock = OpenedAndProbing(out var probe);
        var waiter = clock.State.AcquireAsync(UrlHistory.First(7), isRetry: false, Budget(attemptsLeft: 2), CancellationToken.None).AsTask();

        probe.Complete(HostSignal.Failed, null);
        probe.Dispose();

        // Two attempts would have taken 20.4 s; the only failed probe ended as the wait began, before the last of them
        // would have been sent, and the next probe (at 20 s) is for a request sent before, which this one is not
        // (anyone may probe at 40 s): the host may be well by then, so the waiter tries it rather than give up on old news.
        await AdvanceUntilAsync(clock, waiter, TimeSpan.FromSeconds(22));
        Assert.True(waiter.IsCompleted, "the waiter still waits past its attempts' worth");
        using var permit = await waiter;
        Assert.True(permit.IsAcquired);
        Assert.True(permit.IsProbe);
        Assert.True(permit.IsLastTry, "a request that waited its attempts' worth retries no more after this probe");
    }

    [Fact]
    public async Task AcquireAsync_ProbeSentForAWaiterFails_EndsTheOtherWaitersWithCircuitOpen()
    {
        var clock = OpenedAndProbing(out var probe);
        var first = clock.State.AcquireAsync(UrlHistory.First(7), isRetry: false, Budget(attemptsLeft: 2), CancellationToken.None).AsTask();
        var second = clock.State.AcquireAsync(UrlHistory.First(8), isRetry: false, Budget(attemptsLeft: 2), CancellationToken.None).AsTask();
        probe.Complete(HostSignal.Failed, null);
        probe.Dispose();

        await AdvanceUntilAsync(clock, Task.WhenAny(first, second), TimeSpan.FromSeconds(22));
        var prober = first.IsCompleted ? first : second;
        var other = prober == first ? second : first;
        using var own = await prober;
        Assert.True(own.IsProbe);

        // The probe sent in the waiters' last attempt's time fails: it fails for the other waiter too.
        own.Complete(HostSignal.Failed, null);
        await AdvanceUntilAsync(clock, other, TimeSpan.FromSeconds(5));
        using var permit = await other;
        Assert.False(permit.IsAcquired);
        Assert.Equal(HostDenialReason.CircuitOpen, permit.DenialReason);
    }

    [Fact]
    public void AfterGrant_WaiterSentAsTheProbe_GoesOnWithItsWaitWithoutCountingItsOwnProbe()
    {
        var waiting = new CircuitWait(FailedProbesAtStart: 2, StartedAt: TimeSpan.FromSeconds(5)) { LastTryDue = true };

        var afterProbe = waiting.AfterGrant(isProbe: true);

        Assert.Equal(new CircuitWait(3, TimeSpan.FromSeconds(5)), afterProbe);
        Assert.False(afterProbe.LastTryDue);
        Assert.False(waiting.AfterGrant(isProbe: false).IsWaiting);
        Assert.False(CircuitWait.None.AfterGrant(isProbe: true).IsWaiting);
    }

    private static HostWaitBudget Budget(int attemptsLeft) => new(Timeout.InfiniteTimeSpan, attemptsLeft, AttemptTimeout);

    /// <summary>A host whose circuit opened and whose first probe is out (taken by the test).</summary>
    private static HostTestClock OpenedAndProbing(out HostPermit probe)
    {
        var options = new HostCoordinationOptions
        {
            RetryThrottlingEnabled = false,
            AdaptiveConcurrencyEnabled = false,
            AdaptiveRateEnabled = false,
            CircuitBreakerFailureThreshold = 5,
            CircuitBreakerProbeInterval = Interval,
            CircuitBreakerMaxProbeInterval = Interval * 4,
        };
        var clock = new HostTestClock(options) { NextRandom = 0 };
        for (int i = 0; i < 5; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        clock.Advance(Interval);
        probe = clock.State.TryAcquire(isRetry: false);
        Assert.True(probe.IsProbe);
        return clock;
    }

    /// <summary>
    /// Advances fake time in steps until <paramref name="task"/> ends or <paramref name="limit"/> has passed, letting the
    /// waiter's continuations (posted to the thread pool when a probe ends) run between steps.
    /// </summary>
    private static async Task AdvanceUntilAsync(HostTestClock clock, Task task, TimeSpan limit)
    {
        var step = TimeSpan.FromMilliseconds(250);
        for (var advanced = TimeSpan.Zero; advanced < limit && !task.IsCompleted; advanced += step)
        {
            await Task.Delay(5);
            clock.Advance(step);
        }
    }
}
