using Reprise.Hosts;
using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts.Evidence;

public sealed class FailureEvidenceTests
{
    [Fact]
    public void OnFailed_FirstTimeoutsOfDistinctUrls_NeverOpen()
    {
        var evidence = new FailureEvidence(threshold: 3);

        for (long key = 1; key <= 100; key++)
        {
            var record = default(UrlRecord);
            Assert.False(evidence.OnFailed(key, failedBefore: false, ref record, timedOut: true));
        }
    }

    [Fact]
    public void OnFailed_FirstFailuresOfDistinctUrls_CountHalf()
    {
        var evidence = new FailureEvidence(threshold: 3);
        var records = new UrlRecord[7];

        for (int key = 1; key <= 5; key++)
        {
            Assert.False(evidence.OnFailed(key, failedBefore: false, ref records[key]));
        }

        Assert.True(evidence.OnFailed(6, failedBefore: false, ref records[6]));
    }

    [Fact]
    public void OnFailed_DistinctUrlsFailingAgain_OpenAtTheThreshold()
    {
        var evidence = new FailureEvidence(threshold: 3);
        var records = new UrlRecord[4];
        for (int key = 1; key <= 3; key++)
        {
            evidence.OnFailed(key, failedBefore: false, ref records[key], timedOut: true);
        }

        Assert.False(evidence.OnFailed(1, failedBefore: true, ref records[1]));
        Assert.False(evidence.OnFailed(2, failedBefore: true, ref records[2]));
        Assert.True(evidence.OnFailed(3, failedBefore: true, ref records[3]));
    }

    [Fact]
    public void OnFailed_OneUrlFailingEveryAttempt_CountsOnce()
    {
        var evidence = new FailureEvidence(threshold: 2);
        var record = default(UrlRecord);

        for (int attempt = 1; attempt <= 10; attempt++)
        {
            Assert.False(evidence.OnFailed(1, failedBefore: attempt > 1, ref record));
        }

        Assert.Equal(1, evidence.FailingUrls);
    }

    [Fact]
    public void OnFailed_UrlFailingAgainAfterOthersWereServed_FailsAloneAndDoesNotCount()
    {
        var evidence = new FailureEvidence(threshold: 1);
        var record = default(UrlRecord);
        evidence.OnFailed(1, failedBefore: false, ref record);
        evidence.OnAccepted(TimeSpan.FromSeconds(1));

        Assert.False(evidence.OnFailed(1, failedBefore: true, ref record));
        Assert.True(record.FailsAlone);
    }

    [Fact]
    public void OnFailed_RequestFirstFailedBeforeTheHostLastAccepted_FailsAloneEvenWhenForgotten()
    {
        var evidence = new FailureEvidence(threshold: 1);
        evidence.OnAccepted(TimeSpan.FromSeconds(2));
        var forgotten = default(UrlRecord);
        var other = default(UrlRecord);

        Assert.False(evidence.OnFailed(1, failedBefore: true, ref forgotten, firstFailedAt: TimeSpan.FromSeconds(1)));
        Assert.True(evidence.OnFailed(2, failedBefore: true, ref other, firstFailedAt: TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void OnFailed_NoUrlKey_EveryFailureCountsAsBefore()
    {
        var evidence = new FailureEvidence(threshold: 3);
        var record = default(UrlRecord);

        Assert.False(evidence.OnFailed(0, failedBefore: false, ref record));
        Assert.False(evidence.OnFailed(0, failedBefore: false, ref record));
        Assert.True(evidence.OnFailed(0, failedBefore: false, ref record));
    }

    [Fact]
    public void OnAccepted_AnyAccept_EndsTheRun()
    {
        var evidence = new FailureEvidence(threshold: 2);
        var records = new UrlRecord[3];
        evidence.OnFailed(1, failedBefore: true, ref records[1]);

        evidence.OnAccepted(TimeSpan.FromSeconds(1));

        Assert.Equal(0, evidence.FailingUrls);
        Assert.False(evidence.OnFailed(2, failedBefore: true, ref records[2]));
    }

    [Theory]
    [InlineData(0.5, true, false, false)] // before the probe time nobody probes
    [InlineData(1.0, true, false, true)] // a request already sent whose URL does not fail alone probes at once
    [InlineData(1.0, false, false, false)] // a fresh URL may hang where the host does not
    [InlineData(1.0, true, true, false)] // a URL that fails on its own would say nothing
    [InlineData(2.0, false, false, true)] // an interval later anyone probes
    [InlineData(2.0, true, true, true)]
    public void MayProbe_Candidates_AlreadySentAndNotFailingAloneFirst(double seconds, bool alreadySent, bool failsAlone, bool expected)
    {
        var record = failsAlone ? new UrlRecord { Failures = 2, FirstFailureAccepts = 1, LastFailureAccepts = 2 } : default;

        var may = FailureEvidence.MayProbe(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), alreadySent, record);

        Assert.Equal(expected, may);
    }

    [Theory]
    [InlineData(nameof(HostSignal.Accepted), false, nameof(ProbeVerdict.Close))]
    [InlineData(nameof(HostSignal.Failed), false, nameof(ProbeVerdict.Reopen))]
    [InlineData(nameof(HostSignal.TimedOut), false, nameof(ProbeVerdict.Reopen))]
    [InlineData(nameof(HostSignal.Failed), true, nameof(ProbeVerdict.Explained))]
    public void JudgeProbe_Outcome_ClosesReopensOrIsExplainedByItsUrl(string signal, bool failsAlone, string expected)
    {
        var record = failsAlone ? new UrlRecord { Failures = 2, FirstFailureAccepts = 1, LastFailureAccepts = 2 } : default;

        Assert.Equal(Enum.Parse<ProbeVerdict>(expected), FailureEvidence.JudgeProbe(Enum.Parse<HostSignal>(signal), record));
    }

    [Theory]
    [InlineData(null, 30, 30)] // no success yet: the attempt's own timeout
    [InlineData(0.01, 30, 1)] // at least a second
    [InlineData(2.0, 30, 8)] // four times the usual latency
    [InlineData(2.0, 5, 5)] // never beyond the attempt timeout
    public void ProbeTimeout_UsualLatency_IsAFewTimesItWithinBounds(double? usualSeconds, double attemptSeconds, double expectedSeconds)
    {
        TimeSpan? usual = usualSeconds is { } u ? TimeSpan.FromSeconds(u) : null;

        var timeout = FailureEvidence.ProbeTimeout(usual, TimeSpan.FromSeconds(attemptSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), timeout);
    }

    [Theory]
    [InlineData(0, 100, 3, 0, false)] // no probe failed meanwhile: the host may be fine
    [InlineData(3, 0, 3, 0, true)] // the probes used up its attempts
    [InlineData(1, 9, 3, 8, true)] // it waited as long as three attempts of 3 s, and a probe failed as its last would have
    [InlineData(1, 9, 3, 7.9, false)] // the failed probe is older than its last attempt would have been
    [InlineData(1, 8, 3, 8, false)]
    [InlineData(2, 1, 3, 1, false)]
    [InlineData(1, 3, 1, 2, true)] // one attempt left
    public void WaiterExhausted_FailedProbesAndTime_EndTheWaitNoLaterThanTrying(int failedProbes, double waitedSeconds, int attemptsLeft, double lastFailedSeconds, bool expected)
    {
        var exhausted = FailureEvidence.WaiterExhausted(
            failedProbes, TimeSpan.FromSeconds(waitedSeconds), attemptsLeft, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(lastFailedSeconds), probeTimeout: TimeSpan.FromSeconds(1));

        Assert.Equal(expected, exhausted);
    }
}
