namespace Reprise.Redis.Tests;

/// <summary>This process's share of the host's sends over its last few syncs (pure: window sums in, a factor out).</summary>
public sealed class RecentShareTests
{
    [Fact]
    public void Factor_BurstAtStartThenEqualShares_FollowsTheSharesAsTheyAreNow()
    {
        // This process sent 100 of the first 150 (its first burst); then the three send 30 each per sync.
        var share = new RecentShare();
        share.OnRead(150, 100);
        long sum = 150;
        for (int i = 0; i < RecentShare.Syncs; i++)
        {
            sum += 90;
            share.OnRead(sum, 30);
        }

        // The whole window says 600 / 250 = 2.4; the last syncs say 3.
        Assert.Equal(3.0, share.Factor(minOwn: 20));
    }

    [Fact]
    public void Factor_OlderSyncs_Forgotten()
    {
        var share = new RecentShare();
        share.OnRead(0, 0);
        share.OnRead(100, 50); // alone with another: 2
        long sum = 100;
        for (int i = 0; i < RecentShare.Syncs; i++)
        {
            sum += 40;
            share.OnRead(sum, 10); // then a quarter of the sends: 4
        }

        Assert.Equal(4.0, share.Factor(minOwn: 20));
    }

    [Fact]
    public void Factor_FirstReadOnly_Unknown()
    {
        var share = new RecentShare();
        share.OnRead(300, 100);

        Assert.Null(share.Factor(minOwn: 20));
    }

    [Fact]
    public void Factor_TooFewOwnRequests_Unknown()
    {
        var share = new RecentShare();
        share.OnRead(0, 0);
        share.OnRead(30, 10);

        Assert.Null(share.Factor(minOwn: 20));
    }

    [Fact]
    public void OnRead_WindowDroppedItsOldestBucket_SkipsThatRead()
    {
        var share = new RecentShare();
        share.OnRead(0, 0);
        share.OnRead(90, 30);
        share.OnRead(20, 30); // the sum fell: an old bucket left the window
        share.OnRead(110, 30);

        Assert.Equal(3.0, share.Factor(minOwn: 20));
    }
}
