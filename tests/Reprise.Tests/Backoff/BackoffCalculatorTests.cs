using Reprise.Backoff;

namespace Reprise.Tests.Backoff;

public class BackoffCalculatorTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    [Fact]
    public void Compute_ExponentialWithJitter_StaysWithinTheGrowingCapOverManyDraws()
    {
        var random = new Random(42);
        for (var retry = 1; retry <= 10; retry++)
        {
            var ceiling = TimeSpan.FromTicks(Math.Min(Cap.Ticks, Base.Ticks << (retry - 1)));
            var seenLow = false;
            var seenHigh = false;
            for (var draw = 0; draw < 2_000; draw++)
            {
                var delay = BackoffCalculator.Compute(BackoffType.ExponentialWithJitter, retry, Base, Cap, TimeSpan.Zero, random.NextDouble);

                Assert.InRange(delay, TimeSpan.Zero, ceiling);
                seenLow |= delay < ceiling * 0.1;
                seenHigh |= delay > ceiling * 0.9;
            }

            // Full jitter spreads over the whole range, not a band near the top.
            Assert.True(seenLow && seenHigh, $"retry {retry}: draws did not cover the range");
        }
    }

    [Theory]
    [InlineData(BackoffType.Exponential, 1, 1)]
    [InlineData(BackoffType.Exponential, 2, 2)]
    [InlineData(BackoffType.Exponential, 4, 8)]
    [InlineData(BackoffType.Exponential, 6, 30)]
    [InlineData(BackoffType.Constant, 1, 1)]
    [InlineData(BackoffType.Constant, 9, 1)]
    [InlineData(BackoffType.Linear, 3, 3)]
    [InlineData(BackoffType.Linear, 40, 30)]
    [InlineData(BackoffType.ExponentialWithJitter, 3, 2)]
    public void Compute_PinnedDraw_GivesTheDocumentedWait(BackoffType type, int retry, double expectedSeconds)
    {
        var delay = BackoffCalculator.Compute(type, retry, Base, Cap, TimeSpan.Zero, () => 0.5);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Theory]
    [InlineData(BackoffType.ExponentialWithJitter)]
    [InlineData(BackoffType.Exponential)]
    [InlineData(BackoffType.Linear)]
    [InlineData(BackoffType.DecorrelatedJitter)]
    public void Compute_HugeRetryNumbers_SaturateAtTheCapWithoutOverflow(BackoffType type)
    {
        foreach (var retry in new[] { 60, 63, 64, 1_000, int.MaxValue })
        {
            var delay = BackoffCalculator.Compute(type, retry, TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1), () => 0.999999);

            Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromDays(1));
        }

        var atSixty = BackoffCalculator.Compute(type, 60, Base, Cap, Cap, () => 0.999999);
        Assert.InRange(atSixty, TimeSpan.Zero, Cap);
    }

    [Fact]
    public void Compute_DecorrelatedJitter_DrawsBetweenBaseAndThreeTimesThePrevious()
    {
        var random = new Random(7);
        var previous = TimeSpan.Zero;
        for (var retry = 1; retry <= 1_000; retry++)
        {
            var delay = BackoffCalculator.Compute(BackoffType.DecorrelatedJitter, retry, Base, Cap, previous, random.NextDouble);

            var upper = TimeSpan.FromTicks(Math.Min(Cap.Ticks, Math.Max(Base.Ticks, previous.Ticks * 3)));
            Assert.InRange(delay, Base, upper);
            previous = delay;
        }
    }
}
