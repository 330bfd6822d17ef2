using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class RateMeterTests
{
    [Fact]
    public void Measure_BeforeTheFirstWindowCloses_GuessesOverAtLeastTheFirstGuessWindow()
    {
        var meter = new RateMeter();
        RateSample sample = default;
        for (int i = 0; i < 20; i++)
        {
            sample = meter.Measure(TimeSpan.FromMilliseconds(1), accepted: i < 10);
        }

        Assert.True(sample.Guessed);
        Assert.Equal(200, sample.Sent, 6); // 20 responses over 0.1 s, not over the 1 ms they took
        Assert.Equal(100, sample.Accepted, 6);
    }

    [Fact]
    public void Measure_SteadyRate_MeasuresIt()
    {
        var meter = new RateMeter();
        RateSample sample = default;
        for (int i = 1; i <= 200; i++)
        {
            sample = meter.Measure(TimeSpan.FromMilliseconds(10 * i), accepted: true);
        }

        Assert.False(sample.Guessed);
        Assert.InRange(meter.MeasuredRate, 99, 101);
    }

    [Fact]
    public void Stop_ThenResume_MeasuresFromTheResumeNotAcrossThePause()
    {
        var meter = new RateMeter();
        for (int i = 1; i <= 100; i++)
        {
            meter.Measure(TimeSpan.FromMilliseconds(10 * i), accepted: true);
        }

        var stop = TimeSpan.FromSeconds(1.25);
        Assert.True(meter.Stop(stop, stop + TimeSpan.FromSeconds(3)));
        Assert.False(meter.Stop(stop, stop + TimeSpan.FromSeconds(2))); // a shorter stop is already covered
        Assert.Equal(stop + TimeSpan.FromSeconds(3), meter.ResumeAt(stop));

        var resume = stop + TimeSpan.FromSeconds(3);
        for (int i = 1; i <= 120; i++)
        {
            meter.Measure(resume + TimeSpan.FromMilliseconds(10 * i), accepted: true);
        }

        Assert.InRange(meter.MeasuredRate, 98, 102);
        Assert.Equal(resume + TimeSpan.FromSeconds(2), meter.ResumeAt(resume + TimeSpan.FromSeconds(2)));
    }
}
