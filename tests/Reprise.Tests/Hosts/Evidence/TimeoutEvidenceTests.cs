using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts.Evidence;

public sealed class TimeoutEvidenceTests
{
    private static readonly TimeSpan Usual = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void OnTimedOut_NoSuccessYet_IsAHungRequest()
    {
        var evidence = new TimeoutEvidence();

        Assert.Equal(TimeoutVerdict.Hung, evidence.OnTimedOut(timedOutBefore: false));
        Assert.Null(evidence.UsualLatency);
    }

    [Fact]
    public void OnTimedOut_OthersAnswerAtTheirUsualLatency_IsAHungRequest()
    {
        var evidence = Steady();

        Assert.Equal(TimeoutVerdict.Hung, evidence.OnTimedOut(timedOutBefore: false));
    }

    [Fact]
    public void OnTimedOut_SuccessfulLatencyRising_IsCongestion()
    {
        var evidence = Steady();
        for (int i = 0; i < 10; i++)
        {
            evidence.OnAccepted(Usual * 5);
        }

        Assert.True(evidence.LatencyRising);
        Assert.Equal(TimeoutVerdict.Congestion, evidence.OnTimedOut(timedOutBefore: false));
    }

    [Fact]
    public void OnTimedOut_UrlThatTimedOutBefore_IsCongestion()
    {
        var evidence = Steady();

        Assert.Equal(TimeoutVerdict.Congestion, evidence.OnTimedOut(timedOutBefore: true));
    }

    private static TimeoutEvidence Steady()
    {
        var evidence = new TimeoutEvidence();
        for (int i = 0; i < 200; i++)
        {
            evidence.OnAccepted(Usual);
        }

        return evidence;
    }
}
