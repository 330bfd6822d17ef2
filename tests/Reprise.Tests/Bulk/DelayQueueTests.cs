using Microsoft.Extensions.Time.Testing;
using Reprise.Bulk;
using Reprise.Tests.TestSupport;
using Reprise.Timing;

namespace Reprise.Tests.Bulk;

public class DelayQueueTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly RegistryClock _clock;
    private readonly List<string> _released = [];

    public DelayQueueTests()
    {
        _clock = new RegistryClock(_time);
    }

    [Fact]
    public void TryEnqueue_DifferentDelays_ReleasesInDueOrderOnlyWhenDue()
    {
        using var queue = CreateQueue();
        queue.TryEnqueue("3s", TimeSpan.FromSeconds(3));
        queue.TryEnqueue("1s", TimeSpan.FromSeconds(1));
        queue.TryEnqueue("2s", TimeSpan.FromSeconds(2));

        _time.AdvanceInline(TimeSpan.FromMilliseconds(999));
        Assert.Empty(_released);

        _time.AdvanceInline(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["1s"], _released);

        _time.AdvanceInline(TimeSpan.FromSeconds(2));
        Assert.Equal(["1s", "2s", "3s"], _released);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void TryEnqueue_EarlierItemAfterLaterOne_RearmsTheTimerForTheEarlierItem()
    {
        using var queue = CreateQueue();
        queue.TryEnqueue("10s", TimeSpan.FromSeconds(10));
        _time.AdvanceInline(TimeSpan.FromSeconds(1));
        queue.TryEnqueue("1s", TimeSpan.FromSeconds(1));

        _time.AdvanceInline(TimeSpan.FromSeconds(1));

        Assert.Equal(["1s"], _released);
        Assert.Equal(1, queue.Count);

        _time.AdvanceInline(TimeSpan.FromSeconds(8));
        Assert.Equal(["1s", "10s"], _released);
    }

    [Fact]
    public void TryEnqueue_LaterItemAfterEarlierOne_KeepsTheEarlierDueTime()
    {
        using var queue = CreateQueue();
        queue.TryEnqueue("1s", TimeSpan.FromSeconds(1));
        queue.TryEnqueue("5s", TimeSpan.FromSeconds(5));

        _time.AdvanceInline(TimeSpan.FromSeconds(1));
        Assert.Equal(["1s"], _released);

        _time.AdvanceInline(TimeSpan.FromSeconds(4));
        Assert.Equal(["1s", "5s"], _released);
    }

    [Fact]
    public void TryEnqueue_ManyItemsWithTheSameDueTime_ReleasesAllAtOnceInArrivalOrder()
    {
        using var queue = CreateQueue();
        var expected = new List<string>();
        for (var i = 0; i < 10_000; i++)
        {
            var item = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            expected.Add(item);
            queue.TryEnqueue(item, TimeSpan.FromSeconds(2));
        }

        _time.AdvanceInline(TimeSpan.FromSeconds(1));
        Assert.Empty(_released);

        _time.AdvanceInline(TimeSpan.FromSeconds(1));
        Assert.Equal(expected, _released);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void TryEnqueue_ZeroDelay_ReleasesAtOnceWithoutTheClock()
    {
        using var queue = CreateQueue();

        Assert.True(queue.TryEnqueue("now", TimeSpan.Zero));

        Assert.Equal(["now"], _released);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void TryEnqueue_ItemEnqueuedByTheCallback_WaitsForItsOwnDueTime()
    {
        DelayQueue<string>? queue = null;
        queue = new DelayQueue<string>(
            _clock,
            (item, _) =>
            {
                _released.Add(item);
                if (item == "first")
                {
                    queue!.TryEnqueue("again", TimeSpan.FromSeconds(1));
                }
            },
            null);
        using (queue)
        {
            queue.TryEnqueue("first", TimeSpan.FromSeconds(1));

            _time.AdvanceInline(TimeSpan.FromSeconds(1));
            Assert.Equal(["first"], _released);

            _time.AdvanceInline(TimeSpan.FromSeconds(1));
            Assert.Equal(["first", "again"], _released);
        }
    }

    [Fact]
    public void Close_WithWaitingItems_ReturnsThemInDueOrderAndNeverReleasesThem()
    {
        using var queue = CreateQueue();
        queue.TryEnqueue("b", TimeSpan.FromSeconds(2));
        queue.TryEnqueue("a", TimeSpan.FromSeconds(1));

        var items = queue.Close();

        Assert.Equal(["a", "b"], items);
        _time.AdvanceInline(TimeSpan.FromMinutes(1));
        Assert.Empty(_released);
    }

    [Fact]
    public void TryEnqueue_AfterClose_IsRefusedAndTheCallerKeepsTheItem()
    {
        using var queue = CreateQueue();
        queue.Close();

        Assert.False(queue.TryEnqueue("late", TimeSpan.FromSeconds(1)));
        Assert.False(queue.TryEnqueue("now", TimeSpan.Zero));

        _time.AdvanceInline(TimeSpan.FromMinutes(1));
        Assert.Empty(_released);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void TryEnqueue_NanosecondClockBetweenTicks_ReleasesWhenDueAndNotBefore()
    {
        // Registry time is read rounded down to whole ticks: 99 ns into a tick, the item is due one second from its start.
        var time = new NanosecondTimeProvider();
        var clock = new RegistryClock(time);
        time.Nanoseconds = 99;
        using var queue = new DelayQueue<string>(clock, static (item, state) => ((List<string>)state!).Add(item), _released);

        queue.TryEnqueue("1s", TimeSpan.FromSeconds(1));
        time.AdvanceInline(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        Assert.Empty(_released);

        time.AdvanceInline(TimeSpan.FromTicks(1));
        Assert.Equal(["1s"], _released);
    }

    private DelayQueue<string> CreateQueue()
        => new(_clock, static (item, state) => ((List<string>)state!).Add(item), _released);
}
