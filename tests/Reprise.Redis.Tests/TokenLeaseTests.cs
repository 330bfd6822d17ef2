namespace Reprise.Redis.Tests;

/// <summary>Spending leased tokens: pure decisions over a view, the time passed in (Unix ms), so no clock is needed.</summary>
public sealed class TokenLeaseTests
{
    private const double LeaseAhead = 200;

    [Theory]
    [InlineData(1, 200)] // 1,000/s: the horizon's worth, over the fewest.
    [InlineData(5, 40)] // 200/s: 40 tokens, one round trip per 40 requests.
    [InlineData(10, 32)] // 100/s: the horizon holds 20, the fewest is 32.
    [InlineData(15, 32)] // 67/s (a third of 200/s): 32 tokens, 480 ms.
    [InlineData(20, 25)] // 50/s: 32 would span 640 ms; at most 2.5 horizons (500 ms).
    [InlineData(1000, 1)] // 1/s: one token, never none.
    public void LeaseSize_IntervalAndHorizon_TheHorizonsWorthAtLeastTheFewestAtMostTheSpan(double intervalMs, int expected)
    {
        Assert.Equal(expected, TokenLease.LeaseSize(intervalMs, LeaseAhead));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(3)]
    [InlineData(7.5)]
    [InlineData(12)]
    [InlineData(60)]
    [InlineData(5000)]
    public void LeaseSize_AnyRate_NeverSpansMoreThanTheLongestSpanUnlessOneToken(double intervalMs)
    {
        int size = TokenLease.LeaseSize(intervalMs, LeaseAhead);

        Assert.True(size >= 1);
        Assert.True(size == 1 || size * intervalMs <= TokenLease.MaxSpanFactor * LeaseAhead, $"{size} tokens of {intervalMs} ms");
        Assert.True(size >= Math.Min(TokenLease.MinLeaseTokens, Math.Floor(TokenLease.MaxSpanFactor * LeaseAhead / intervalMs)));
    }

    [Fact]
    public void TryTake_NoTokens_AsksForALeaseAndWaits()
    {
        var view = new SharedHostView("h");

        var take = TokenLease.TryTake(view, 1000, burst: 1, LeaseAhead);

        Assert.False(take.Taken);
        Assert.True(take.Refill);
        Assert.True(take.WaitMs >= 1);
    }

    [Fact]
    public void TryTake_LeasedRun_OneTokenPerIntervalNoEarlierThanItsTime()
    {
        var view = new SharedHostView("h");
        TokenLease.Apply(view, 3, 1000, 10, askedAt: 990);

        Assert.True(TokenLease.TryTake(view, 1000, 1, LeaseAhead).Taken);
        var early = TokenLease.TryTake(view, 1005, 1, LeaseAhead);
        Assert.False(early.Taken);
        Assert.Equal(5, early.WaitMs, 6);
        Assert.True(TokenLease.TryTake(view, 1010, 1, LeaseAhead).Taken);
        Assert.True(TokenLease.TryTake(view, 1020, 1, LeaseAhead).Taken);
        Assert.False(TokenLease.TryTake(view, 1030, 1, LeaseAhead).Taken);
    }

    [Fact]
    public void TryTake_TokensOlderThanTheBurst_DroppedUnspent()
    {
        var view = new SharedHostView("h");
        TokenLease.Apply(view, 10, 1000, 10, askedAt: 990);

        // At 1055 with a burst of 1, tokens due before 1045 are gone: 1000 to 1040. The one due at 1050 is taken.
        Assert.True(TokenLease.TryTake(view, 1055, 1, LeaseAhead).Taken);
        var run = Assert.Single(view.Tokens);
        Assert.Equal(4, run.Count);
        Assert.Equal(1060, run.Next, 6);
    }

    [Fact]
    public void TryTake_LessThanAQuarterOfTheLeaseAheadLeft_AsksForMore()
    {
        var view = new SharedHostView("h");
        TokenLease.Apply(view, 20, 1000, 10, askedAt: 990); // Leased until 1200.

        Assert.False(TokenLease.TryTake(view, 1000, 1, LeaseAhead).Refill);
        Assert.True(TokenLease.TryTake(view, 1160, 1, LeaseAhead).Refill);
    }

    [Fact]
    public void Apply_NoTokensGranted_WaitsTheTimeRedisNamed()
    {
        var view = new SharedHostView("h");

        TokenLease.Apply(view, 0, 30, 10, askedAt: 1000);
        var take = TokenLease.TryTake(view, 1010, 1, LeaseAhead);

        Assert.False(take.Taken);
        Assert.Equal(20, take.WaitMs, 6);
    }

    [Fact]
    public void TryTake_RunsOfTwoRates_EachSpentAtItsOwnInterval()
    {
        // The shared rate changed between two leases (another process lowered it): the second run is slower.
        var view = new SharedHostView("h");
        TokenLease.Apply(view, 2, 1000, 10, askedAt: 990);
        TokenLease.Apply(view, 2, 1020, 50, askedAt: 1000);

        double[] times = [1000, 1010, 1020, 1070];
        Assert.All(times, t => Assert.True(TokenLease.TryTake(view, t, 1, LeaseAhead).Taken, $"no token at {t}"));
        Assert.Empty(view.Tokens);
    }

    [Fact]
    public void LeaseLocally_RedisDown_FillsToTheHorizonAtTheShareOnce()
    {
        var view = new SharedHostView("h");

        TokenLease.LeaseLocally(view, 1000, 50, LeaseAhead);
        TokenLease.LeaseLocally(view, 1000, 50, LeaseAhead);

        var run = Assert.Single(view.Tokens);
        Assert.Equal(5, run.Count); // 1000, 1050, ..., 1200.
        Assert.Equal(1000, run.Next, 6);
        Assert.Equal(50, run.Interval, 6);
    }
}
