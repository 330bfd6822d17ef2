using Reprise.Hosts;
using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts.Evidence;

public sealed class HostEvidenceTests
{
    private static readonly TimeSpan At = TimeSpan.FromSeconds(1);

    [Fact]
    public void OnCompleted_ThrottleWithoutUrlKey_PausesAndLowersTheRateAsBefore()
    {
        var evidence = new HostEvidence(failureThreshold: 20, rateManaged: true);

        var decision = evidence.OnCompleted(new AttemptReport(0, HostSignal.Throttled, TimeSpan.FromSeconds(1), At, At));

        Assert.Equal(ThrottleActions.PauseHost | ThrottleActions.DecreaseRate, decision.Throttle);
        Assert.Equal(ThrottleVerdict.None, evidence.ThrottleVerdict);
    }

    [Fact]
    public void OnCompleted_TimeoutWithoutUrlKey_CutsAsBefore()
    {
        var evidence = new HostEvidence(failureThreshold: 20, rateManaged: true);

        var decision = evidence.OnCompleted(new AttemptReport(0, HostSignal.TimedOut, null, At, At + TimeSpan.FromSeconds(5)));

        Assert.True(decision.CutConcurrency);
    }

    [Fact]
    public void OnCompleted_FastFailuresOfManyFreshUrls_SayTheHostSheds()
    {
        var evidence = Served(out var now);

        bool cut = false;
        for (long url = 100; url < 140 && !cut; url++)
        {
            cut = evidence.OnCompleted(new AttemptReport(url, HostSignal.Failed, null, now, now + TimeSpan.FromMilliseconds(1)) { Attempt = 1 }).CutConcurrency;
        }

        Assert.True(cut);
    }

    [Fact]
    public void OnCompleted_FastFailuresOfUrlsFailingAgain_AreTheirOwnNotTheHosts()
    {
        // A few URLs failing fast on every retry beside healthy URLs that take a second: no evidence the host sheds load.
        var evidence = Served(out var now);

        for (int round = 2; round <= 4; round++)
        {
            for (long url = 100; url < 140; url++)
            {
                var report = new AttemptReport(url, HostSignal.Failed, null, now, now + TimeSpan.FromMilliseconds(1)) { Attempt = round, Previous = HostSignal.Failed };
                Assert.False(evidence.OnCompleted(report).CutConcurrency);
            }
        }
    }

    /// <summary>Evidence of a host that served 50 URLs, each in about a second.</summary>
    private static HostEvidence Served(out TimeSpan now)
    {
        var evidence = new HostEvidence(failureThreshold: 1_000, rateManaged: true);
        now = At;
        for (long url = 1; url <= 50; url++)
        {
            evidence.OnCompleted(new AttemptReport(url, HostSignal.Accepted, null, now, now + TimeSpan.FromSeconds(1)) { Attempt = 1 });
            now += TimeSpan.FromMilliseconds(20);
        }

        return evidence;
    }

    [Fact]
    public void OnCompleted_FirstThrottleOfAUrl_StartsTheCheckWithoutPausing()
    {
        var evidence = new HostEvidence(failureThreshold: 20, rateManaged: true);

        var decision = evidence.OnCompleted(new AttemptReport(1, HostSignal.Throttled, TimeSpan.FromSeconds(1), At, At) { Attempt = 1 });

        Assert.Equal(ThrottleActions.None, decision.Throttle);
        Assert.Equal(ThrottleVerdict.Checking, evidence.ThrottleVerdict);
        Assert.False(evidence.MayGrant(At, afterOwnWait: false, out _));
    }

    [Fact]
    public void OnCompleted_Accepted_ForgetsTheUrl()
    {
        var evidence = new HostEvidence(failureThreshold: 20, rateManaged: true);
        evidence.OnCompleted(new AttemptReport(5, HostSignal.Failed, null, At, At) { Attempt = 1 });
        Assert.Equal(1, evidence.Ledger.Count);

        evidence.OnCompleted(new AttemptReport(5, HostSignal.Accepted, null, At, At) { Attempt = 2, Previous = HostSignal.Failed });

        Assert.Equal(0, evidence.Ledger.Count);
    }

    [Fact]
    public void OnCompleted_MoreFailingUrlsThanTheLedgerHolds_StillOpensOnTheirRetries()
    {
        var evidence = new HostEvidence(failureThreshold: 5, rateManaged: true, ledgerCapacity: 2);
        for (long key = 1; key <= 10; key++)
        {
            evidence.OnCompleted(new AttemptReport(key, HostSignal.Failed, null, At, At) { Attempt = 1 });
        }

        bool opened = false;
        for (long key = 1; key <= 5; key++)
        {
            opened = evidence.OnCompleted(new AttemptReport(key, HostSignal.Failed, null, At, At) { Attempt = 2, Previous = HostSignal.Failed }).OpenCircuit;
        }

        Assert.True(opened);
    }

    [Fact]
    public void OnCompleted_RetryOfATimedOutUrlTimesOutToo_CutsTheLimit()
    {
        var evidence = new HostEvidence(failureThreshold: 20, rateManaged: true);
        evidence.OnCompleted(new AttemptReport(3, HostSignal.Accepted, null, At, At + TimeSpan.FromMilliseconds(5)) { Attempt = 1 });

        var first = evidence.OnCompleted(new AttemptReport(4, HostSignal.TimedOut, null, At, At + TimeSpan.FromSeconds(5)) { Attempt = 1 });
        var again = evidence.OnCompleted(new AttemptReport(4, HostSignal.TimedOut, null, At, At + TimeSpan.FromSeconds(5)) { Attempt = 2, Previous = HostSignal.TimedOut });

        Assert.False(first.CutConcurrency);
        Assert.True(again.CutConcurrency);
    }

    [Fact]
    public void OnCompleted_ProbeOfAUrlThatFailsAlone_IsExplained()
    {
        var evidence = new HostEvidence(failureThreshold: 20, rateManaged: true);
        evidence.OnCompleted(new AttemptReport(9, HostSignal.Failed, null, At, At) { Attempt = 1 });
        evidence.OnCompleted(new AttemptReport(8, HostSignal.Accepted, null, At, At) { Attempt = 1 });
        evidence.OnCompleted(new AttemptReport(9, HostSignal.Failed, null, At, At) { Attempt = 2, Previous = HostSignal.Failed });

        var probe = evidence.OnCompleted(new AttemptReport(9, HostSignal.Failed, null, At, At, IsProbe: true) { Attempt = 3, Previous = HostSignal.Failed });

        Assert.Equal(ProbeVerdict.Explained, probe.Probe);
        Assert.False(evidence.MayProbe(At, At, TimeSpan.FromSeconds(1), 9, alreadySent: true));
    }
}
