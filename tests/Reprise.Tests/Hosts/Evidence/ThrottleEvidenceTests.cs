using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts.Evidence;

public sealed class ThrottleEvidenceTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Hold = EvidenceDefaults.CheckHold;
    private static readonly TimeSpan WitnessTimeout = TimeSpan.FromMilliseconds(250);

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void OnThrottled_FirstThrottle_HoldsTheHostForTheCheckOnlyThenLetsWitnessesThrough()
    {
        var evidence = new ThrottleEvidence(rateManaged: true);

        var actions = evidence.OnThrottled(Ms(1), Ms(0), afterOwnWait: false, OneSecond, WitnessTimeout);

        Assert.Equal(ThrottleActions.None, actions);
        Assert.Equal(ThrottleVerdict.Checking, evidence.Verdict);
        Assert.False(evidence.MayGrant(Ms(2), afterOwnWait: false, out var until));
        Assert.Equal(Ms(1) + Hold, until);

        var after = Ms(1) + Hold;
        Assert.True(evidence.MayGrant(after, afterOwnWait: false, out _));
        evidence.OnGranted(after, afterOwnWait: false);
        Assert.True(evidence.MayGrant(after, afterOwnWait: false, out _));
        evidence.OnGranted(after, afterOwnWait: false);
        Assert.False(evidence.MayGrant(after, afterOwnWait: false, out _));
    }

    [Fact]
    public void MayGrant_RequestsSentBeforeTheCheckStillInFlight_WitnessesWaitForThemThenHaveTheirFullTime()
    {
        var evidence = new ThrottleEvidence(rateManaged: true);
        evidence.OnThrottled(Ms(1), Ms(0), afterOwnWait: false, OneSecond, WitnessTimeout);
        var after = Ms(1) + Hold;

        // Sent at 0.5 ms, before the throttle that began the check: on its way, it would take the tokens the hold refilled.
        Assert.False(evidence.MayGrant(after, afterOwnWait: false, out var again, oldestInFlight: Ms(0.5)));
        Assert.True(again > after);

        // It ended (the oldest in flight is now younger than the check): the witnesses go, with the whole witness timeout.
        var later = after + Ms(100);
        Assert.True(evidence.MayGrant(later, afterOwnWait: false, out _, oldestInFlight: later));
        evidence.OnGranted(later, afterOwnWait: false);
        Assert.True(evidence.MayGrant(later + WitnessTimeout - Ms(1), afterOwnWait: false, out _, oldestInFlight: later));
        Assert.Equal(ThrottleVerdict.Checking, evidence.Verdict);
    }

    [Fact]
    public void MayGrant_RequestsBeforeTheCheckNeverEnd_WitnessesGoAfterTheWitnessTimeout()
    {
        var evidence = new ThrottleEvidence(rateManaged: true);
        evidence.OnThrottled(Ms(1), Ms(0), afterOwnWait: false, OneSecond, WitnessTimeout);

        var late = Ms(1) + Hold + WitnessTimeout;
        Assert.True(evidence.MayGrant(late, afterOwnWait: false, out _, oldestInFlight: Ms(0.5)));
        Assert.Equal(ThrottleVerdict.Checking, evidence.Verdict);
    }

    [Fact]
    public void OnThrottled_RetryAfterShorterThanTheHold_HoldsOnlyThatLong()
    {
        var evidence = new ThrottleEvidence(rateManaged: true);

        evidence.OnThrottled(Ms(1), Ms(0), afterOwnWait: false, Ms(10), WitnessTimeout);

        Assert.Equal(Ms(11), evidence.HoldUntil);
    }

    [Fact]
    public void OnAccepted_EveryWitnessAccepted_HostLimitsItsRate()
    {
        var evidence = Checking(out var after);

        Assert.False(evidence.OnAccepted(after + Ms(1), after, afterOwnWait: false));
        Assert.True(evidence.OnAccepted(after + Ms(1), after, afterOwnWait: false));

        Assert.Equal(ThrottleVerdict.RateLimited, evidence.Verdict);
        var actions = evidence.OnThrottled(after + Ms(2), after + Ms(1), afterOwnWait: false, OneSecond, WitnessTimeout);
        Assert.Equal(ThrottleActions.DecreaseRate, actions);
    }

    [Fact]
    public void OnAccepted_CheckShowsARateLimit_MeasuresWhatTheHostAcceptedDuringTheCheck()
    {
        // Burst before the first throttle (not counted); then, from the throttle at 1 ms, 8 answers accepted during the
        // hold and the two witnesses after it: 10 accepted over the check's 71 ms.
        var evidence = new ThrottleEvidence(rateManaged: true);
        for (int i = 0; i < 100; i++)
        {
            evidence.OnAccepted(Ms(0.5), Ms(0), afterOwnWait: false);
        }

        evidence.OnThrottled(Ms(1), Ms(0), afterOwnWait: false, OneSecond, WitnessTimeout);
        for (int i = 0; i < 8; i++)
        {
            evidence.OnAccepted(Ms(2 + i), Ms(0), afterOwnWait: false);
        }

        var after = Ms(1) + Hold;
        evidence.OnGranted(after, afterOwnWait: false);
        evidence.OnGranted(after, afterOwnWait: false);
        evidence.OnAccepted(after + Ms(20), after, afterOwnWait: false);
        Assert.True(evidence.OnAccepted(after + Ms(20), after, afterOwnWait: false));

        Assert.Equal(10 / (Hold + Ms(20)).TotalSeconds, evidence.CheckedAcceptedRate, 6);
    }

    [Fact]
    public void OnAccepted_NobodySentForAWhileAfterTheHold_MeasuresFromTheFirstRequestSentAgain()
    {
        // The handler's callers all got the first throttles and each waits its own Retry-After (1 s): nothing is sent
        // until their retries, then two retries and two witnesses are accepted within 5 ms. The idle second is not the
        // host's rate: 4 accepted over the check's least time (the hold), not over the 1 s since the first throttle.
        var evidence = new ThrottleEvidence(rateManaged: true);
        evidence.OnThrottled(Ms(1), Ms(0), afterOwnWait: false, OneSecond, WitnessTimeout);
        evidence.OnGranted(Ms(1001), afterOwnWait: true);
        evidence.OnGranted(Ms(1001), afterOwnWait: true);
        evidence.OnAccepted(Ms(1003), Ms(1001), afterOwnWait: true);
        evidence.OnAccepted(Ms(1003), Ms(1001), afterOwnWait: true);
        evidence.OnGranted(Ms(1004), afterOwnWait: false);
        evidence.OnGranted(Ms(1004), afterOwnWait: false);
        evidence.OnAccepted(Ms(1006), Ms(1004), afterOwnWait: false);
        Assert.True(evidence.OnAccepted(Ms(1006), Ms(1004), afterOwnWait: false));

        Assert.Equal(ThrottleVerdict.RateLimited, evidence.Verdict);
        Assert.Equal(4 / Hold.TotalSeconds, evidence.CheckedAcceptedRate, 6);
    }

    [Fact]
    public void OnThrottled_WitnessThrottled_EachUrlWaitsAlone()
    {
        var evidence = Checking(out var after);

        var actions = evidence.OnThrottled(after + Ms(1), after, afterOwnWait: false, OneSecond, WitnessTimeout);

        Assert.Equal(ThrottleActions.None, actions);
        Assert.Equal(ThrottleVerdict.PerUrl, evidence.Verdict);
        Assert.True(evidence.MayGrant(after + Ms(2), afterOwnWait: false, out _));
    }

    [Fact]
    public void OnAccepted_ResponsesGrantedBeforeTheHold_DoNotDecideTheCheck()
    {
        var evidence = Checking(out var after);

        evidence.OnAccepted(after - Ms(1), Ms(0), afterOwnWait: false);
        evidence.OnAccepted(after - Ms(1), Ms(0), afterOwnWait: false);
        evidence.OnThrottled(after - Ms(1), Ms(0), afterOwnWait: false, OneSecond, WitnessTimeout);

        Assert.Equal(ThrottleVerdict.Checking, evidence.Verdict);
    }

    [Fact]
    public void MayGrant_WitnessesNeverAnswer_ConcludesThatHoldingDidNotHelp()
    {
        var evidence = Checking(out var after);

        Assert.True(evidence.MayGrant(after + WitnessTimeout, afterOwnWait: false, out _));

        Assert.Equal(ThrottleVerdict.PerUrl, evidence.Verdict);
    }

    [Fact]
    public void OnAccepted_RetriesAfterTheirOwnWaitServedAfterTheHold_AreNoWitnesses()
    {
        // Every caller waited its own Retry-After through the hold: the retries are the first requests after it.
        var evidence = new ThrottleEvidence(rateManaged: true);
        evidence.OnThrottled(Ms(1), Ms(0), afterOwnWait: false, OneSecond, WitnessTimeout);
        var now = Ms(1) + OneSecond;

        Assert.True(evidence.MayGrant(now, afterOwnWait: true, out _));
        evidence.OnGranted(now, afterOwnWait: true);
        evidence.OnGranted(now, afterOwnWait: true);
        Assert.False(evidence.MayGrant(now, afterOwnWait: true, out _)); // the first two go alone, as under a per-URL verdict
        Assert.False(evidence.OnAccepted(now + Ms(1), now, afterOwnWait: true));
        Assert.False(evidence.OnAccepted(now + Ms(1), now, afterOwnWait: true));

        Assert.Equal(ThrottleVerdict.Checking, evidence.Verdict);
        Assert.True(evidence.MayGrant(now + Ms(1), afterOwnWait: true, out _)); // served: the others go
        evidence.OnGranted(now + Ms(1), afterOwnWait: false);
        evidence.OnThrottled(now + Ms(2), now + Ms(1), afterOwnWait: false, OneSecond, WitnessTimeout);
        Assert.Equal(ThrottleVerdict.PerUrl, evidence.Verdict);
    }

    [Fact]
    public void OnThrottled_RetriesAfterTheirOwnWaitThrottledAgainWhileChecking_IsAnOutage()
    {
        var evidence = new ThrottleEvidence(rateManaged: true);
        evidence.OnThrottled(Ms(1), Ms(0), afterOwnWait: false, OneSecond, WitnessTimeout);
        var now = Ms(1) + OneSecond;
        evidence.OnGranted(now, afterOwnWait: true);
        evidence.OnGranted(now, afterOwnWait: true);

        Assert.Equal(ThrottleActions.None, evidence.OnThrottled(now + Ms(1), now, afterOwnWait: true, OneSecond, WitnessTimeout));
        var actions = evidence.OnThrottled(now + Ms(1), now, afterOwnWait: true, OneSecond, WitnessTimeout);

        Assert.Equal(ThrottleVerdict.Outage, evidence.Verdict);
        Assert.Equal(ThrottleActions.PauseHost, actions);
    }

    [Fact]
    public void OnThrottled_UrlsThrottledAgainAfterTheirOwnWaitWithNothingAccepted_IsAnOutageThatPauses()
    {
        var evidence = PerUrl(out var at);

        Assert.Equal(ThrottleActions.None, evidence.OnThrottled(at + OneSecond, at + OneSecond, afterOwnWait: true, OneSecond, WitnessTimeout));
        var actions = evidence.OnThrottled(at + OneSecond, at + OneSecond, afterOwnWait: true, OneSecond, WitnessTimeout);

        Assert.Equal(ThrottleVerdict.Outage, evidence.Verdict);
        Assert.Equal(ThrottleActions.PauseHost, actions);
    }

    [Fact]
    public void OnThrottled_UrlsThrottledAgainWhileOthersAreAccepted_IsARateLimit()
    {
        var evidence = PerUrl(out var at);
        var now = at + OneSecond;
        evidence.OnAccepted(now, now, afterOwnWait: false);

        evidence.OnThrottled(now, now, afterOwnWait: true, OneSecond, WitnessTimeout);
        var actions = evidence.OnThrottled(now, now, afterOwnWait: true, OneSecond, WitnessTimeout);

        Assert.Equal(ThrottleVerdict.RateLimited, evidence.Verdict);
        Assert.Equal(ThrottleActions.DecreaseRate, actions);
    }

    [Fact]
    public void OnThrottled_RetriesAfterTheirOwnWaitMostlyAccepted_StaysPerUrl()
    {
        var evidence = PerUrl(out var at);
        var now = at + OneSecond;
        for (int i = 0; i < 10; i++)
        {
            evidence.OnAccepted(now, now, afterOwnWait: true);
        }

        evidence.OnThrottled(now, now, afterOwnWait: true, OneSecond, WitnessTimeout);
        evidence.OnThrottled(now, now, afterOwnWait: true, OneSecond, WitnessTimeout);

        Assert.Equal(ThrottleVerdict.PerUrl, evidence.Verdict);
    }

    [Fact]
    public void MayGrant_PerUrlVerdictUnconfirmed_LetsTwoRetriesAfterTheirOwnWaitGoFirst()
    {
        var evidence = PerUrl(out var at);
        var now = at + OneSecond;

        Assert.True(evidence.MayGrant(now, afterOwnWait: true, out _));
        evidence.OnGranted(now, afterOwnWait: true);
        evidence.OnGranted(now, afterOwnWait: true);

        Assert.False(evidence.MayGrant(now, afterOwnWait: true, out var askAgainAt));
        Assert.True(askAgainAt > now);
        Assert.True(evidence.MayGrant(now, afterOwnWait: false, out _)); // fresh URLs go on
    }

    [Fact]
    public void OnAccepted_RetriesAfterTheirOwnWaitServed_ConfirmsThePerUrlVerdict()
    {
        var evidence = PerUrl(out var at);
        var now = at + OneSecond;
        evidence.OnGranted(now, afterOwnWait: true);
        evidence.OnGranted(now, afterOwnWait: true);

        evidence.OnAccepted(now, now, afterOwnWait: true);
        evidence.OnAccepted(now, now, afterOwnWait: true);

        Assert.Equal(ThrottleVerdict.PerUrl, evidence.Verdict);
        Assert.True(evidence.MayGrant(now, afterOwnWait: true, out _));
    }

    [Fact]
    public void OnThrottled_RetryWitnessesThrottledAgainBeforeAnyAccept_IsAnOutageEvenRightAfterServing()
    {
        var evidence = new ThrottleEvidence(rateManaged: true);
        evidence.OnAccepted(Ms(0), Ms(0), afterOwnWait: false); // served until the outage began
        evidence.OnThrottled(Ms(1), Ms(0), afterOwnWait: false, OneSecond, WitnessTimeout);
        var after = evidence.HoldUntil;
        evidence.OnGranted(after, afterOwnWait: false);
        evidence.OnThrottled(after + Ms(1), after, afterOwnWait: false, OneSecond, WitnessTimeout);

        var now = after + OneSecond;
        evidence.OnThrottled(now, now, afterOwnWait: true, OneSecond, WitnessTimeout);
        var actions = evidence.OnThrottled(now, now, afterOwnWait: true, OneSecond, WitnessTimeout);

        Assert.Equal(ThrottleVerdict.Outage, evidence.Verdict);
        Assert.Equal(ThrottleActions.PauseHost, actions);
    }

    [Fact]
    public void OnAccepted_AfterAnOutage_ReturnsToTheVerdictBeforeIt()
    {
        var evidence = Checking(out var after);
        evidence.OnAccepted(after + Ms(1), after, afterOwnWait: false);
        evidence.OnAccepted(after + Ms(1), after, afterOwnWait: false);
        var now = after + Ms(1);
        for (int i = 0; i < EvidenceDefaults.OutageThrottlesInARow; i++)
        {
            now += TimeSpan.FromSeconds(0.5);
            evidence.OnThrottled(now, now, afterOwnWait: false, OneSecond, WitnessTimeout);
        }

        Assert.Equal(ThrottleVerdict.Outage, evidence.Verdict);
        Assert.Equal(ThrottleActions.PauseHost, evidence.OnThrottled(now, now, afterOwnWait: false, OneSecond, WitnessTimeout));

        evidence.OnAccepted(now + OneSecond, now + OneSecond, afterOwnWait: false);

        Assert.Equal(ThrottleVerdict.RateLimited, evidence.Verdict);
    }

    [Fact]
    public void MayGrant_QuietForAWhile_ForgetsAPerUrlVerdict()
    {
        var evidence = PerUrl(out var at);

        evidence.MayGrant(at + EvidenceDefaults.QuietPeriod, afterOwnWait: false, out _);

        Assert.Equal(ThrottleVerdict.None, evidence.Verdict);
    }

    [Fact]
    public void MayGrant_RateManagedRateLimit_LastsUntilForgotten()
    {
        var evidence = Checking(out var after);
        evidence.OnAccepted(after, after, afterOwnWait: false);
        evidence.OnAccepted(after, after, afterOwnWait: false);

        evidence.MayGrant(after + (EvidenceDefaults.QuietPeriod * 2), afterOwnWait: false, out _);
        Assert.Equal(ThrottleVerdict.RateLimited, evidence.Verdict);

        evidence.Forget();
        Assert.Equal(ThrottleVerdict.None, evidence.Verdict);
    }

    private static ThrottleEvidence Checking(out TimeSpan afterHold)
    {
        var evidence = new ThrottleEvidence(rateManaged: true);
        evidence.OnThrottled(Ms(1), Ms(0), afterOwnWait: false, OneSecond, WitnessTimeout);
        afterHold = evidence.HoldUntil;
        evidence.MayGrant(afterHold, afterOwnWait: false, out _);
        evidence.OnGranted(afterHold, afterOwnWait: false);
        evidence.OnGranted(afterHold, afterOwnWait: false);
        return evidence;
    }

    private static ThrottleEvidence PerUrl(out TimeSpan at)
    {
        var evidence = Checking(out var after);
        at = after + Ms(1);
        evidence.OnThrottled(at, after, afterOwnWait: false, OneSecond, WitnessTimeout);
        Assert.Equal(ThrottleVerdict.PerUrl, evidence.Verdict);
        return evidence;
    }
}
