using Microsoft.Extensions.Time.Testing;
using Reprise.Tests.TestSupport;
using Reprise.Timing;

namespace Reprise.Tests.Timing;

public sealed class RegistryClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Now_ClockAdvanced_IsTheTimeSinceTheClockWasCreated()
    {
        var time = new FakeTimeProvider(Start);
        time.Advance(TimeSpan.FromHours(1));
        var clock = new RegistryClock(time);

        time.Advance(TimeSpan.FromSeconds(2.5));

        Assert.Equal(TimeSpan.FromSeconds(2.5), clock.Now);
        Assert.Same(time, clock.Provider);
    }

    [Fact]
    public void TimeAt_Timestamp_IsTheRegistryTimeThen()
    {
        var time = new FakeTimeProvider(Start);
        var clock = new RegistryClock(time);
        time.Advance(TimeSpan.FromMilliseconds(1500));
        var timestamp = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), clock.TimeAt(timestamp));
        Assert.Equal(timestamp, clock.TimestampAt(TimeSpan.FromMilliseconds(1500)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(99, 0)]
    [InlineData(100, 1)]
    [InlineData(150, 1)]
    [InlineData(2_500_000_000, 25_000_000)]
    public void TimeAt_NanosecondClock_RoundsDownToWholeTicks(long nanoseconds, long ticks)
    {
        var time = new NanosecondTimeProvider { Nanoseconds = 7 };
        var clock = new RegistryClock(time);
        time.Nanoseconds += nanoseconds;

        Assert.Equal(TimeSpan.FromTicks(ticks), clock.TimeAt(time.GetTimestamp()));
        Assert.Equal(TimeSpan.FromTicks(ticks), clock.Now);
    }

    [Fact]
    public void TimestampAt_NanosecondClock_CountsNanosecondsFromTheOrigin()
    {
        var time = new NanosecondTimeProvider { Nanoseconds = 5_000 };
        var origin = time.GetTimestamp();
        var clock = new RegistryClock(time);

        Assert.Equal(origin + 12_300, clock.TimestampAt(TimeSpan.FromTicks(123)));
    }

    [Theory]
    [InlineData(2_500_000_000)]
    [InlineData(2_500_000_050)]
    [InlineData(99)]
    public void TimestampAt_NanosecondClock_InverseOfTimeAtIsNeverLater(long nanoseconds)
    {
        var time = new NanosecondTimeProvider { Nanoseconds = 5_000 };
        var clock = new RegistryClock(time);
        time.Nanoseconds += nanoseconds;
        var timestamp = time.GetTimestamp();

        var back = clock.TimestampAt(clock.TimeAt(timestamp));

        // Exact on a whole tick, otherwise up to one tick (100 ns) earlier, never later.
        Assert.InRange(timestamp - back, 0, 99);
        Assert.Equal(nanoseconds % 100 == 0, back == timestamp);
    }

    [Fact]
    public void ToUtc_RegistryTime_IsTheWallClockThen()
    {
        var time = new FakeTimeProvider(Start);
        var clock = new RegistryClock(time);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(Start + TimeSpan.FromSeconds(25), clock.ToUtc(TimeSpan.FromSeconds(25)));
        Assert.Equal(Start + TimeSpan.FromSeconds(4), clock.ToUtc(TimeSpan.FromSeconds(4)));
    }
}
