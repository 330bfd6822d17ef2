using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts.Evidence;

public sealed class UrlLedgerTests
{
    [Fact]
    public void Set_BeyondCapacity_DropsTheLeastRecentlyUsed()
    {
        var ledger = new UrlLedger(capacity: 2);
        ledger.Set(1, new UrlRecord { Failures = 1 });
        ledger.Set(2, new UrlRecord { Failures = 2 });
        Assert.True(ledger.TryGet(1, out _)); // 1 is now the most recent

        ledger.Set(3, new UrlRecord { Failures = 3 });

        Assert.True(ledger.TryGet(1, out var first));
        Assert.Equal(1, first.Failures);
        Assert.False(ledger.TryGet(2, out _));
        Assert.True(ledger.TryGet(3, out _));
    }

    [Fact]
    public void Set_AMillionUrls_NeverHoldsMoreThanItsCapacity()
    {
        var ledger = new UrlLedger();
        for (long key = 1; key <= 1_000_000; key++)
        {
            ledger.Set(key, new UrlRecord { Failures = 1 });
            Assert.True(ledger.Count <= EvidenceDefaults.LedgerCapacity);
        }

        Assert.Equal(1_024, ledger.Count);
        Assert.True(ledger.TryGet(1_000_000, out _));
        Assert.False(ledger.TryGet(1, out _));
    }

    [Fact]
    public void Set_KeyZero_IsNeverStored()
    {
        var ledger = new UrlLedger();

        ledger.Set(0, new UrlRecord { Failures = 1 });

        Assert.Equal(0, ledger.Count);
        Assert.False(ledger.TryGet(0, out _));
    }

    [Fact]
    public void Remove_KnownUrl_ForgetsIt()
    {
        var ledger = new UrlLedger();
        ledger.Set(7, new UrlRecord { Failures = 1 });

        ledger.Remove(7);

        Assert.False(ledger.TryGet(7, out _));
        Assert.Equal(0, ledger.Count);
    }
}
