namespace Reprise.Redis.Tests;

/// <summary>What the shared counts say: when they are fresh, and this process's share of the host's sends.</summary>
public sealed class SharedCountsTests
{
    private static readonly TimeSpan Validity = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(0L, 1000L, false)] // never read
    [InlineData(500L, 2500L, true)]
    [InlineData(500L, 2501L, false)] // two syncs missed
    public void AreFresh_ReadAt_WithinTwoCacheValidities(long readAt, long now, bool expected)
        => Assert.Equal(expected, SharedCounts.AreFresh(readAt, now, Validity));

    [Theory]
    [InlineData(200L, 10L, 70L, 1, 5000, 3.0)] // every process's 210 over this one's 70
    [InlineData(200L, 10L, 10L, 1, 5000, 1.0)] // too few of its own to tell
    [InlineData(60L, 0L, 60L, 3, 500, 3.0)] // early: the others' counts lag, the processes present stand for them
    [InlineData(400L, 0L, 100L, 3, 500, 4.0)] // early, but the counts already say more
    [InlineData(50L, 0L, 100L, 1, 5000, 1.0)] // never below one
    public void SendFactor_Counts_EveryProcesssSendsOverThisOnes(long shared, long pending, long own, int present, int sinceFirstSyncMs, double expected)
        => Assert.Equal(expected, SharedCounts.SendFactor(shared, pending, own, present, TimeSpan.FromMilliseconds(sinceFirstSyncMs), Validity), 6);

    [Theory]
    [InlineData(0L, 250L)]
    [InlineData(1999L, 250L)]
    [InlineData(2000L, 1000L)]
    public void SyncInterval_SinceFirstSync_QuarterValidityForTheFirstTwo(long since, long expected)
        => Assert.Equal(expected, SharedCounts.SyncInterval(since, Validity));

    [Fact]
    public void RequestBuckets_Sum_CountsTheWindowOnly()
    {
        var buckets = new RequestBuckets(3);
        buckets.Add(1);
        buckets.Add(2);
        buckets.Add(2);
        buckets.Add(3);

        Assert.Equal(4, buckets.Sum(3)); // buckets 1 to 3
        buckets.Add(4); // reuses bucket 1's slot
        Assert.Equal(4, buckets.Sum(4)); // buckets 2 to 4
        Assert.Equal(1, buckets.Sum(6)); // bucket 4 alone is within 4 to 6
    }
}
