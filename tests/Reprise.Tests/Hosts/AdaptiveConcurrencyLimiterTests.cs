using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class AdaptiveConcurrencyLimiterTests
{
    private static AdaptiveConcurrencyLimiter Create(int min = 1, int max = 10) => new(min, max, adaptive: true, new FakeTimeProvider());

    [Fact]
    public void AttemptAcquire_AtTheLimit_FailsUntilALeaseIsDisposed()
    {
        using var limiter = Create(max: 2);
        using var first = limiter.AttemptAcquire();
        var second = limiter.AttemptAcquire();

        Assert.True(first.IsAcquired && second.IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);

        second.Dispose();
        second.Dispose(); // a second dispose gives nothing back twice
        Assert.Equal(1, limiter.InFlight);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_WhenFull_ServesWaitersFirstInFirstOut()
    {
        using var limiter = Create(max: 1);
        var held = limiter.AttemptAcquire();
        var first = limiter.AcquireAsync().AsTask();
        var second = limiter.AcquireAsync().AsTask();
        Assert.Equal(2, limiter.GetStatistics()!.CurrentQueuedCount);

        held.Dispose();
        var lease = await first.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(second.IsCompleted);

        lease.Dispose();
        Assert.True((await second.WaitAsync(TimeSpan.FromSeconds(30))).IsAcquired);
    }

    [Fact]
    public async Task EnterAsync_RetryQueuedBehindFreshRequests_IsServedFirst()
    {
        using var limiter = Create(max: 1);
        var held = limiter.AttemptAcquire();
        var fresh = limiter.EnterAsync(1, goesFirst: HostWaitOrder.GoesFirst(isRetry: false), CancellationToken.None);
        var retry = limiter.EnterAsync(1, goesFirst: HostWaitOrder.GoesFirst(isRetry: true), CancellationToken.None);
        var secondRetry = limiter.EnterAsync(1, goesFirst: true, CancellationToken.None);

        held.Dispose();
        await retry.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(fresh.IsCompleted || secondRetry.IsCompleted);

        limiter.Exit();
        await secondRetry.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(fresh.IsCompleted);

        limiter.Exit();
        await fresh.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task EnterAsync_CancelledInTheFirstLane_LeavesIt()
    {
        using var limiter = Create(max: 1);
        using var held = limiter.AttemptAcquire();
        using var cts = new CancellationTokenSource();
        var waiting = limiter.EnterAsync(1, goesFirst: true, cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, limiter.QueuedCount);
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_LeavesTheQueue()
    {
        using var limiter = Create(max: 1);
        using var held = limiter.AttemptAcquire();
        using var cts = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(1, cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public void OnOverload_LimitInUse_ShrinksBy30PercentDownToTheFloor()
    {
        using var limiter = Create(min: 2, max: 10);
        var leases = Enumerable.Range(0, 10).Select(_ => limiter.AttemptAcquire()).ToList();

        limiter.OnOverload();
        Assert.Equal(7, limiter.Limit);
        for (int i = 0; i < 10; i++)
        {
            limiter.OnOverload();
        }

        Assert.Equal(2, limiter.Limit);
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void OnOverload_LimitNotInUse_KeepsTheLimit()
    {
        using var limiter = Create(max: 10);
        using var lease = limiter.AttemptAcquire();

        limiter.OnOverload();

        Assert.Equal(10, limiter.Limit);
    }

    [Fact]
    public void OnSuccess_LimitInUse_GrowsByOnePerLimitsWorthOfSuccesses()
    {
        using var limiter = Create(max: 10);
        var leases = Enumerable.Range(0, 10).Select(_ => limiter.AttemptAcquire()).ToList();
        limiter.OnOverload(); // 7
        Assert.Equal(7, limiter.Limit);

        // +1/limit per success: seven successes add just under one (the limit grows as it goes), eight just over.
        for (int i = 0; i < 7; i++)
        {
            limiter.OnSuccess();
        }

        Assert.Equal(7, limiter.Limit);
        limiter.OnSuccess();
        Assert.Equal(8, limiter.Limit);
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Complete_ManyThrottledInFlight_ShrinksOncePerRoundTrip()
    {
        var clock = new HostTestClock(new HostCoordinationOptions { MaxConcurrency = 10, AdaptiveRateEnabled = false, PauseEnabled = false });
        var sent = Enumerable.Range(0, 10).Select(_ => clock.State.TryAcquire(isRetry: false)).ToList();

        foreach (var permit in sent)
        {
            permit.Complete(HostSignal.Throttled, null);
        }

        Assert.Equal(7, clock.Snapshot.ConcurrencyLimit);
        sent.ForEach(p => p.Dispose());

        // A request sent after the decrease may decrease again.
        var after = Enumerable.Range(0, 7).Select(_ => clock.State.TryAcquire(isRetry: false)).ToList();
        after[0].Complete(HostSignal.TimedOut, null);
        Assert.Equal(4, clock.Snapshot.ConcurrencyLimit);
        after.ForEach(p => p.Dispose());
    }

    [Fact]
    public void TryAcquire_AtTheHostLimit_RefusesWithConcurrencyLimitUntilAPermitIsDisposed()
    {
        var clock = new HostTestClock(new HostCoordinationOptions { MaxConcurrency = 2 });
        using var first = clock.State.TryAcquire(isRetry: false);
        var second = clock.State.TryAcquire(isRetry: false);

        var refused = clock.State.TryAcquire(isRetry: false);
        Assert.Equal(HostDenialReason.ConcurrencyLimit, refused.DenialReason);
        Assert.Equal(2, clock.Snapshot.InFlight);

        second.Dispose();
        Assert.True(clock.State.TryAcquire(isRetry: false).IsAcquired);
    }

    [Fact]
    public async Task EnterAsync_WaiterGrantedAsSoonAsItQueues_KeepsNoCancellationRegistration()
    {
        // A waiter granted between queueing and registering its cancellation kept the registration (and with it itself)
        // as long as the caller's token lived. Another thread frees the slot the moment the waiter is in the queue; the
        // granted waiters must be collectable while the token lives on.
        using var limiter = Create(max: 1);
        using var cts = new CancellationTokenSource();
        var granted = new List<WeakReference>();
        for (int round = 0; round < 1_000; round++)
        {
            Assert.True(limiter.TryEnter());
            using var spinning = new ManualResetEventSlim();
            var exit = Task.Run(() =>
            {
                spinning.Set();
                while (limiter.QueuedCount == 0)
                {
                }

                limiter.Exit();
            });
            spinning.Wait();
            granted.Add(Enter(limiter, cts.Token, out var entered));
            await entered.WaitAsync(TimeSpan.FromSeconds(30));
            await exit.WaitAsync(TimeSpan.FromSeconds(30));
            limiter.Exit();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Equal(0, granted.Count(reference => reference.IsAlive));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference Enter(AdaptiveConcurrencyLimiter limiter, CancellationToken token, out Task done)
    {
        var task = limiter.EnterAsync(1, token);
        done = task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return new WeakReference(task);
    }
}
