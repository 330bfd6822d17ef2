using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts.Evidence;

public sealed class LatencyEvidenceTests
{
    private static readonly TimeSpan Usual = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void OnTimedOut_NoSuccessYet_IsAHungRequest()
    {
        var evidence = new LatencyEvidence();

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

    [Theory]
    [InlineData(50, 0, true)] // an overloaded host's 503 at once, against 50 ms of service
    [InlineData(50, 20, false)] // a failure that did some work
    [InlineData(1, 0, false)] // on a fast host a quicker failure says nothing
    public void IsShed_FailureLatency_FarFasterThanSuccessesIsShedAtTheDoor(double usualMs, double failureMs, bool expected)
    {
        var evidence = new LatencyEvidence();
        for (int i = 0; i < 10; i++)
        {
            evidence.OnAccepted(TimeSpan.FromMilliseconds(usualMs));
        }

        for (int i = 0; i < 20; i++)
        {
            evidence.OnFailed(); // failures are most of what the host answers lately
        }

        Assert.Equal(expected, evidence.IsShed(TimeSpan.FromMilliseconds(failureMs)));
    }

    [Fact]
    public void IsShed_FastFailuresASteadyFifthOfAnswers_IsNot()
    {
        var evidence = new LatencyEvidence();
        for (int i = 0; i < 200; i++)
        {
            if (i % 5 == 0)
            {
                evidence.OnFailed();
            }
            else
            {
                evidence.OnAccepted(TimeSpan.FromSeconds(1));
            }
        }

        Assert.False(evidence.IsShed(TimeSpan.Zero));
    }

    [Fact]
    public void IsShed_NoSuccessYet_IsNot()
        => Assert.False(new LatencyEvidence().IsShed(TimeSpan.Zero));

    private static LatencyEvidence Steady()
    {
        var evidence = new LatencyEvidence();
        for (int i = 0; i < 200; i++)
        {
            evidence.OnAccepted(Usual);
        }

        return evidence;
    }
}
