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
            evidence.OnFailed(TimeSpan.FromMilliseconds(usualMs)); // failures (as slow as successes) are most of what the host answers lately
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
                evidence.OnFailed(TimeSpan.Zero);
            }
            else
            {
                evidence.OnAccepted(TimeSpan.FromSeconds(1));
            }
        }

        Assert.False(evidence.IsShed(TimeSpan.Zero));
    }

    // A host of capacity 20 just past it: each refusal frees a slot the next request loses at once. Waiting for the share
    // of failures to reach a half took 11 refusals in a row each time (bench, overloaded row: 266 503s for 2,000 URLs).
    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void IsShed_RunOfFastFailuresAfterSteadySuccesses_IsShedFromTheThird(int run, bool expected)
    {
        var evidence = Steady();
        for (int i = 0; i < run; i++)
        {
            evidence.OnFailed(TimeSpan.Zero);
        }

        Assert.Equal(expected, evidence.IsShed(TimeSpan.Zero));
    }

    [Fact]
    public void IsShed_AcceptedBetweenFastFailures_EndsTheRun()
    {
        var evidence = Steady();
        evidence.OnFailed(TimeSpan.Zero);
        evidence.OnFailed(TimeSpan.Zero);
        evidence.OnAccepted(Usual);
        evidence.OnFailed(TimeSpan.Zero);

        Assert.False(evidence.IsShed(TimeSpan.Zero));
    }

    [Fact]
    public void IsShed_SlowFailureInTheRun_EndsTheRun()
    {
        var evidence = Steady();
        evidence.OnFailed(TimeSpan.Zero);
        evidence.OnFailed(TimeSpan.Zero);
        evidence.OnFailed(Usual);
        evidence.OnFailed(TimeSpan.Zero);

        Assert.False(evidence.IsShed(TimeSpan.Zero));
    }

    [Theory]
    [InlineData(true, 0.5, 0, true)] // failures are most of what the host answers
    [InlineData(true, 0.1, 3, true)] // a burst of refusals
    [InlineData(true, 0.1, 2, false)]
    [InlineData(false, 0.9, 10, false)] // a failure that did the work is not shed
    public void IsShed_Decision(bool fast, double failureShare, int fastFailuresInARow, bool expected)
        => Assert.Equal(expected, LatencyEvidence.IsShed(fast, failureShare, fastFailuresInARow));

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
