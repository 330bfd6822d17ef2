using Microsoft.Extensions.Time.Testing;
using Reprise.Timing;

namespace Reprise.Tests.Timing;

public sealed class FullDelayTests
{
    private static readonly TimeSpan Early = TimeSpan.FromMilliseconds(0.5);

    [Fact]
    public async Task WaitAsync_TimerEndsEarly_WaitsOutTheRest()
    {
        var time = new EarlyTimers();
        var wait = FullDelay.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(1) - Early); // the timer fires here, half a millisecond short
        Assert.False(wait.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WaitAsync_TimerOnTime_EndsWithIt()
    {
        var time = new FakeTimeProvider();
        var wait = FullDelay.WaitAsync(TimeSpan.FromSeconds(1), time, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Timers that fire half a millisecond before their due time, as whole-millisecond system timers may.</summary>
    private sealed class EarlyTimers : FakeTimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(callback, state, dueTime > Early ? dueTime - Early : dueTime, period);
    }
}
