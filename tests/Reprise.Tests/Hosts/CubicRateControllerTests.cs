using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class CubicRateControllerTests
{
    private static readonly RateSample Measured100 = new(Sent: 100, Accepted: 100, Guessed: false);

    [Fact]
    public void OnThrottle_FirstWithAMeasurement_FallsToBetaTimesTheAcceptedRate()
    {
        var controller = new CubicRateController();

        double rate = controller.OnThrottle(TimeSpan.Zero, Measured100, current: null, paused: false, resumeAt: TimeSpan.Zero);

        Assert.Equal(100 * 0.95 * 0.7, rate, 9);
    }

    [Fact]
    public void OnAccepted_AfterAThrottle_GrowsAlongTheCubicBackToTheMaximumAndAbove()
    {
        var controller = new CubicRateController();
        double rate = controller.OnThrottle(TimeSpan.Zero, Measured100, current: null, paused: false, resumeAt: TimeSpan.Zero);
        var rates = new List<double>();
        for (int second = 1; second <= 12; second++)
        {
            rates.Add(controller.OnAccepted(TimeSpan.FromSeconds(second), Measured100));
        }

        Assert.All(rates.Zip(rates.Skip(1)), pair => Assert.True(pair.Second >= pair.First, string.Join(", ", rates)));
        Assert.True(rates[0] > rate);
        Assert.True(rates[^1] > 95, string.Join(", ", rates)); // back above W_max = 95
    }

    [Fact]
    public void OnAccepted_SlowStart_DoublesPerWindowFromWhenSendingResumes()
    {
        var controller = new CubicRateController();
        var guess = new RateSample(Sent: 200, Accepted: 200, Guessed: true);
        double start = controller.OnThrottle(TimeSpan.Zero, guess, current: null, paused: true, resumeAt: TimeSpan.FromSeconds(1));
        var measured = new RateSample(Sent: 1_000, Accepted: 1_000, Guessed: false);

        Assert.Equal(start, controller.OnAccepted(TimeSpan.FromSeconds(1), measured), 9);
        Assert.Equal(2 * start, controller.OnAccepted(TimeSpan.FromSeconds(1.5), measured), 9);
        Assert.Equal(4 * start, controller.OnAccepted(TimeSpan.FromSeconds(2), measured), 9);
    }

    [Fact]
    public void OnThrottle_BeforeTheRateIsBackAtItsMaximum_LowersTheMaximum()
    {
        // Fast convergence: each throttle at the same measured rate before recovery sets the next plateau lower.
        var controller = new CubicRateController();
        double rate = controller.OnThrottle(TimeSpan.Zero, Measured100, current: null, paused: true, resumeAt: TimeSpan.Zero);
        var rates = new List<double> { rate };
        for (int i = 1; i <= 4; i++)
        {
            rate = controller.OnThrottle(TimeSpan.FromSeconds(i), Measured100, rate, paused: true, resumeAt: TimeSpan.FromSeconds(i));
            rates.Add(rate);
        }

        Assert.All(rates.Zip(rates.Skip(1)), pair => Assert.True(pair.Second < pair.First, string.Join(", ", rates)));
    }

    [Theory]
    [InlineData(1_000, 100, 200)]
    [InlineData(50, 100, 50)]
    [InlineData(0.1, 100, 0.5)]
    public void Bound_Rate_AtMostTwiceTheMeasuredRateAndAtLeastTheMinimum(double rate, double measured, double expected)
    {
        Assert.Equal(expected, CubicRateController.Bound(rate, measured));
    }
}
