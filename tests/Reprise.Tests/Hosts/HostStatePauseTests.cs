using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class HostStatePauseTests
{
    [Fact]
    public void Complete_ThrottledWithRetryAfter_RefusesEveryoneUntilPauseEnds()
    {
        var clock = new HostTestClock { NextRandom = 0.5 };
        var before = clock.Time.GetUtcNow();

        clock.Send(HostSignal.Throttled, TimeSpan.FromSeconds(2));

        var first = clock.State.TryAcquire(isRetry: false);
        Assert.False(first.IsAcquired);
        Assert.Equal(HostDenialReason.HostPaused, first.DenialReason);
        Assert.Equal(TimeSpan.FromSeconds(2.1), first.WaitHint); // 2 s plus 0.5 * 10% of the pause
        Assert.Equal(before + TimeSpan.FromSeconds(2), clock.Snapshot.PausedUntil);

        clock.Time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.False(clock.State.TryAcquire(isRetry: false).IsAcquired);

        clock.Time.Advance(TimeSpan.FromTicks(1));
        Assert.True(clock.State.TryAcquire(isRetry: false).IsAcquired);
        Assert.Null(clock.Snapshot.PausedUntil);
    }

    [Fact]
    public void Complete_ThrottledWithoutRetryAfter_DoesNotPause()
    {
        var clock = new HostTestClock(new HostCoordinationOptions { AdaptiveRateEnabled = false });

        clock.Send(HostSignal.Throttled);

        Assert.True(clock.State.TryAcquire(isRetry: false).IsAcquired);
        Assert.Null(clock.Snapshot.PausedUntil);
    }

    [Fact]
    public void Complete_RetryAfterAboveMaxPause_PausesOnlyForMaxPause()
    {
        var clock = new HostTestClock(new HostCoordinationOptions { MaxPause = TimeSpan.FromSeconds(10) });
        var before = clock.Time.GetUtcNow();

        clock.Send(HostSignal.Throttled, TimeSpan.FromHours(1));

        Assert.Equal(before + TimeSpan.FromSeconds(10), clock.Snapshot.PausedUntil);
    }

    [Fact]
    public async Task AcquireAsync_DuringPause_WaitsUntilPauseEndPlusItsJitter()
    {
        var clock = new HostTestClock { NextRandom = 0.5 };
        clock.Send(HostSignal.Throttled, TimeSpan.FromSeconds(2));

        var waiting = clock.State.AcquireAsync(isRetry: true, CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromSeconds(2.1) - TimeSpan.FromTicks(1));
        Assert.False(waiting.IsCompleted);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(waiting.IsCompleted);
        using var permit = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(permit.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_ManyWaitersDuringPause_AreReleasedSpreadOverTheJitterWindow()
    {
        double[] draws = [0.0, 0.25, 0.5, 0.75, 1.0];
        int next = 0;
        // The adaptive rate would release them at its own (slow-start) pace after this first throttle; the jitter alone here.
        var clock = new HostTestClock(new HostCoordinationOptions { AdaptiveRateEnabled = false }, () => draws[next++ % draws.Length]);
        clock.Send(HostSignal.Throttled, TimeSpan.FromSeconds(10));
        var waiters = Enumerable.Range(0, 5).Select(_ => clock.State.AcquireAsync(isRetry: false, CancellationToken.None).AsTask()).ToArray();

        var released = new List<int>();
        for (int step = 0; step <= 4; step++)
        {
            // Pause of 10 s, spread 10%: releases at 10.0, 10.25, 10.5, 10.75 and 11.0 s.
            clock.Advance(step == 0 ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(0.25));
            released.Add(waiters.Count(w => w.IsCompleted));

        }

        Assert.Equal([1, 2, 3, 4, 5], released);
    }

    [Fact]
    public async Task AcquireAsync_CancelledDuringPause_ThrowsAndStopsWaiting()
    {
        var clock = new HostTestClock();
        clock.Send(HostSignal.Throttled, TimeSpan.FromSeconds(5));
        using var cts = new CancellationTokenSource();

        var waiting = clock.State.AcquireAsync(isRetry: false, cts.Token).AsTask();
        Assert.Equal(1, clock.Snapshot.Waiting);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, clock.Snapshot.Waiting);
    }

    [Fact]
    public void Complete_LaterShorterRetryAfter_KeepsTheLongerPause()
    {
        var clock = new HostTestClock();
        var before = clock.Time.GetUtcNow();
        var first = clock.State.TryAcquire(isRetry: false);
        var second = clock.State.TryAcquire(isRetry: false);

        first.Complete(HostSignal.Throttled, TimeSpan.FromSeconds(5));
        second.Complete(HostSignal.Throttled, TimeSpan.FromSeconds(1));

        Assert.Equal(before + TimeSpan.FromSeconds(5), clock.Snapshot.PausedUntil);
    }

    [Fact]
    public async Task AcquireAsync_PauseStartsWhileWaitingForARateToken_GivesTheTokenBack()
    {
        var clock = new HostTestClock(new HostCoordinationOptions { RetryThrottlingEnabled = false, CircuitBreakerEnabled = false });
        var rate = clock.State.RateLimiter!;
        clock.Send(HostSignal.Throttled); // engages the rate, with one token
        var sending = clock.State.TryAcquire(isRetry: false); // takes it
        Assert.True(sending.IsAcquired);
        using var cts = new CancellationTokenSource();

        var waiting = clock.State.AcquireAsync(isRetry: false, cts.Token).AsTask(); // reserves the next token and waits for it
        Assert.Equal(1, rate.GetStatistics()!.CurrentQueuedCount);
        sending.Complete(HostSignal.Throttled, TimeSpan.FromSeconds(5)); // the host pauses meanwhile
        clock.Advance(TimeSpan.FromSeconds(1)); // the token's time comes during the pause: the waiter goes back to wait for it

        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, rate.GetStatistics()!.CurrentQueuedCount);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        sending.Dispose();
    }
}
