using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

/// <summary>
/// The one line for a busy host's slots: the handler's requests and a bulk run's line wait in it alike, requests sent
/// before ahead of fresh ones (<see cref="HostWaitOrder"/>), and a freed slot wakes the first waiter at once.
/// </summary>
public sealed class HostStateSlotLineTests
{
    private static HostCoordinationOptions OneSlot() => new()
    {
        RetryThrottlingEnabled = false,
        AdaptiveConcurrencyEnabled = false,
        AdaptiveRateEnabled = false,
        MaxConcurrency = 1,
    };

    [Fact]
    public async Task AcquireAsync_RetryComesAfterFreshRequests_GetsTheFreedSlotFirst()
    {
        var clock = new HostTestClock(OneSlot());
        var held = clock.State.TryAcquire(isRetry: false);
        var fresh = clock.State.AcquireAsync(isRetry: false, CancellationToken.None).AsTask();
        var retry = clock.State.AcquireAsync(isRetry: true, CancellationToken.None).AsTask();

        held.Dispose();

        using var first = await retry.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(first.IsAcquired);
        Assert.False(fresh.IsCompleted);
        first.Dispose();
        using var second = await fresh.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(second.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_BulkLineWaitsToo_OneLineInTheOrderOfHostWaitOrder()
    {
        var clock = new HostTestClock(OneSlot());
        var held = clock.State.TryAcquire(isRetry: false);
        var handlerFresh = clock.State.AcquireAsync(isRetry: false, CancellationToken.None).AsTask();
        var bulkRetry = new Waiter();
        Assert.True(clock.State.TryWaitForSlot(bulkRetry, goesFirst: true));

        // The slot frees: the bulk run's retry, first in line, is woken; the handler's fresh request still waits.
        held.Dispose();

        Assert.True(bulkRetry.Woken);
        Assert.False(handlerFresh.IsCompleted);
        using var bulkPermit = clock.State.TryAcquire(isRetry: true);
        Assert.True(bulkPermit.IsAcquired);
        bulkPermit.Dispose();
        using var handlerPermit = await handlerFresh.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(handlerPermit.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaitingForASlot_LeavesTheLine()
    {
        var clock = new HostTestClock(OneSlot());
        var held = clock.State.TryAcquire(isRetry: false);
        using var cts = new CancellationTokenSource();
        var cancelled = clock.State.AcquireAsync(isRetry: false, cts.Token).AsTask();
        var next = clock.State.AcquireAsync(isRetry: false, CancellationToken.None).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        held.Dispose();

        using var permit = await next.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(permit.IsAcquired);
    }

    private sealed class Waiter : IHostSlotWaiter
    {
        public bool Woken { get; private set; }

        public void OnSlotFreed() => Woken = true;
    }
}
