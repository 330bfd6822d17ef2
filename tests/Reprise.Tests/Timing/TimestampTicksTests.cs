using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;
using Reprise.Timing;

namespace Reprise.Tests.Timing;

public sealed class TimestampTicksTests
{
    [Fact]
    public void From_FrequencyOfTimeSpan_IsTheSpansTicks()
    {
        Assert.Equal(15_000_000, TimestampTicks.From(TimeSpan.FromSeconds(1.5), new FakeTimeProvider()));
    }

    [Fact]
    public void From_NanosecondClock_CountsNanoseconds()
    {
        Assert.Equal(12_300, TimestampTicks.From(TimeSpan.FromTicks(123), new NanosecondClock()));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(100, 1)]
    [InlineData(150, 2)]
    [InlineData(2_500_000_000, 25_000_000)]
    public void ToTimeSpan_NanosecondClock_RoundsUpToWholeTicks(long nanoseconds, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), TimestampTicks.ToTimeSpan(nanoseconds, new NanosecondClock()));
    }

    [Fact]
    public void TimestampAt_NanosecondClock_IsTheInverseOfTimeAt()
    {
        var clock = new NanosecondClock { Now = 5_000 };
        var registry = new HostRegistry(clock);
        clock.Now += 2_500_000_000;

        var timestamp = clock.GetTimestamp();
        Assert.Equal(TimeSpan.FromSeconds(2.5), registry.TimeAt(timestamp));
        Assert.Equal(timestamp, registry.TimestampAt(registry.TimeAt(timestamp)));
    }

    /// <summary>A clock that counts nanoseconds, as the system's does on Linux; only its timestamps are used.</summary>
    private sealed class NanosecondClock : TimeProvider
    {
        public long Now { get; set; }

        public override long TimestampFrequency => 1_000_000_000;

        public override long GetTimestamp() => Now;
    }
}
