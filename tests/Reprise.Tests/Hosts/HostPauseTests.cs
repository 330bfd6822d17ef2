using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class HostPauseTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Extend_LongerPause_PausesUntilItsEndAndKeepsItsLength()
    {
        var pause = new HostPause(enabled: true, max: TimeSpan.FromMinutes(1));

        Assert.True(pause.Extend(10 * Second, 2 * Second));

        Assert.True(pause.IsPaused(11 * Second, out var wait));
        Assert.Equal(Second, wait);
        Assert.False(pause.IsPaused(12 * Second, out _));
        Assert.Equal(2 * Second, pause.Length);
    }

    [Fact]
    public void Extend_ShorterPauseDuringALongerOne_NeverShortensIt()
    {
        var pause = new HostPause(enabled: true, max: TimeSpan.FromMinutes(1));
        pause.Extend(TimeSpan.Zero, 5 * Second);

        Assert.False(pause.Extend(Second, Second));

        Assert.Equal(5 * Second, pause.Until);
        Assert.Equal(5 * Second, pause.Length);
    }

    [Fact]
    public void Extend_Disabled_NeverPauses()
    {
        var pause = new HostPause(enabled: false, max: TimeSpan.FromMinutes(1));

        Assert.False(pause.Extend(TimeSpan.Zero, 5 * Second));
        Assert.False(pause.IsPaused(TimeSpan.Zero, out _));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(0.0, null)]
    [InlineData(-1.0, null)]
    [InlineData(3.0, 3.0)]
    [InlineData(3600.0, 10.0)]
    public void Cap_ServerWait_IsNullOrAtMostTheLongestPause(double? seconds, double? expected)
    {
        var pause = new HostPause(enabled: true, max: 10 * Second);

        var capped = pause.Cap(seconds is { } s ? TimeSpan.FromSeconds(s) : null);

        Assert.Equal(expected is { } e ? TimeSpan.FromSeconds(e) : null, capped);
    }

    [Fact]
    public void Spread_ShareOfThePause_ScalesWithTheDraw()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), HostPause.Spread(2 * Second, spread: 0.1, draw: 0.5));
        Assert.Equal(TimeSpan.Zero, HostPause.Spread(2 * Second, spread: 0.1, draw: 0));
    }
}
