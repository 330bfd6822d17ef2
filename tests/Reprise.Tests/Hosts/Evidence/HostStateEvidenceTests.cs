using Reprise.Hosts;
using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts.Evidence;

/// <summary>The host's gates acting on the evidence, through <see cref="HostState"/> with keyed requests.</summary>
public sealed class HostStateEvidenceTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public void TryAcquire_AUrlsOwnRetryAfter_HoldsTheHostForTheCheckNotForTheRetryAfter()
    {
        var clock = new HostTestClock { NextRandom = 0 };

        Send(clock, UrlHistory.First(1), HostSignal.Throttled, OneSecond);

        var held = clock.State.TryAcquire(isRetry: false, retryAlreadyCounted: false, UrlHistory.First(2));
        Assert.False(held.IsAcquired);
        Assert.Equal(EvidenceDefaults.CheckHold, held.WaitHint);
        Assert.Null(clock.Snapshot.PausedUntil);

        // After the hold two witnesses go; a throttled witness shows holding does not help: each URL waits alone.
        clock.Advance(EvidenceDefaults.CheckHold);
        Send(clock, UrlHistory.First(3), HostSignal.Throttled, OneSecond);
        for (long key = 4; key < 100; key++)
        {
            Assert.True(clock.State.TryAcquire(isRetry: false, retryAlreadyCounted: false, UrlHistory.First(key)).IsAcquired);
        }
    }

    [Fact]
    public void TryAcquire_WitnessesAcceptedAfterTheHold_EngagesTheRateWithoutPausing()
    {
        var clock = new HostTestClock { NextRandom = 0 };
        for (long key = 1; key <= 20; key++)
        {
            Send(clock, UrlHistory.First(key), HostSignal.Accepted);
        }

        Send(clock, UrlHistory.First(21), HostSignal.Throttled, OneSecond);
        clock.Advance(EvidenceDefaults.CheckHold);
        Send(clock, UrlHistory.First(22), HostSignal.Accepted);
        Send(clock, UrlHistory.First(23), HostSignal.Accepted);

        Assert.NotNull(clock.Snapshot.Rate);
        Assert.Null(clock.Snapshot.PausedUntil);
    }

    [Fact]
    public void TryAcquire_EveryCallerWaitsItsOwnRetryAfterThroughTheCheck_RetriesServedDoNotEngageTheRate()
    {
        // The handler's per-URL Retry-After row: 50 callers' first calls all go out before the first 503 comes back, so
        // nothing fresh is sent after the check's hold; the first requests after it are the retries, 2 s later. Served,
        // they said nothing about the hold, yet they concluded "rate limit" and engaged the rate at what the host
        // accepted over those 2 s (1/s): the callers' next URLs then went one a second.
        var clock = new HostTestClock { NextRandom = 0 };
        var firstCalls = Enumerable.Range(1, 50)
            .Select(key => clock.State.TryAcquire(isRetry: false, retryAlreadyCounted: false, UrlHistory.First(key)))
            .ToList();
        clock.Advance(TimeSpan.FromMilliseconds(5));
        foreach (var permit in firstCalls)
        {
            Assert.True(permit.IsAcquired);
            permit.Complete(HostSignal.Throttled, TimeSpan.FromSeconds(2));
            permit.Dispose();
        }

        clock.Advance(TimeSpan.FromSeconds(2));
        for (long key = 1; key <= 50; key++)
        {
            Send(clock, new UrlHistory(key, 2, HostSignal.Throttled, AfterOwnWait: true, FirstFailedAt: null), HostSignal.Accepted);
        }

        Assert.Null(clock.Snapshot.Rate);

        // The callers' next URLs are the check's witnesses: throttled, each URL waits alone and the rest go at once.
        Send(clock, UrlHistory.First(51), HostSignal.Throttled, TimeSpan.FromSeconds(2));
        for (long key = 52; key <= 100; key++)
        {
            Assert.True(clock.State.TryAcquire(isRetry: false, retryAlreadyCounted: false, UrlHistory.First(key)).IsAcquired);
        }

        Assert.Null(clock.Snapshot.Rate);
    }

    [Fact]
    public void Complete_RetriesThrottledAgainAfterTheirOwnWait_PauseTheHost()
    {
        var clock = new HostTestClock { NextRandom = 0 };
        Send(clock, UrlHistory.First(1), HostSignal.Throttled, OneSecond);
        clock.Advance(EvidenceDefaults.CheckHold);
        Send(clock, UrlHistory.First(2), HostSignal.Throttled, OneSecond);

        clock.Advance(OneSecond);
        var again = new UrlHistory(1, 2, HostSignal.Throttled, AfterOwnWait: true, FirstFailedAt: null);
        Send(clock, again, HostSignal.Throttled, OneSecond);
        Send(clock, again with { Key = 2 }, HostSignal.Throttled, OneSecond);

        Assert.NotNull(clock.Snapshot.PausedUntil);
        Assert.Null(clock.Snapshot.Rate); // an outage says nothing about the host's rate
    }

    [Fact]
    public void Complete_AFifthOfUrlsFailEveryAttempt_NeverOpensTheCircuit()
    {
        var clock = new HostTestClock(new HostCoordinationOptions { CircuitBreakerFailureThreshold = 5 });
        for (long key = 1; key <= 500; key++)
        {
            if (key % 5 != 0)
            {
                Send(clock, UrlHistory.First(key), HostSignal.Accepted);
                continue;
            }

            var history = UrlHistory.First(key);
            for (int attempt = 1; attempt <= 4; attempt++)
            {
                Send(clock, history, HostSignal.Failed);
                history = new UrlHistory(key, attempt + 1, HostSignal.Failed, AfterOwnWait: false, history.FirstFailedAt ?? clock.Registry.Clock.TimeAt(clock.Time.GetTimestamp()));
            }
        }

        Assert.Equal(HostCircuitState.Closed, clock.Snapshot.CircuitState);
    }

    [Fact]
    public void Complete_DistinctUrlsFailingAgainWithNothingServed_OpenTheCircuitAndOnlyARetryProbes()
    {
        var clock = new HostTestClock(new HostCoordinationOptions { CircuitBreakerFailureThreshold = 3 });
        for (long key = 1; key <= 3; key++)
        {
            Send(clock, UrlHistory.First(key), HostSignal.Failed);
        }

        for (long key = 1; key <= 3; key++)
        {
            Send(clock, new UrlHistory(key, 2, HostSignal.Failed, AfterOwnWait: false, TimeSpan.Zero), HostSignal.Failed);
        }

        Assert.Equal(HostCircuitState.Open, clock.Snapshot.CircuitState);
        clock.Advance(OneSecond);
        Assert.False(clock.State.TryAcquire(isRetry: false, retryAlreadyCounted: false, UrlHistory.First(9)).IsAcquired);
        var probe = clock.State.TryAcquire(isRetry: true, retryAlreadyCounted: false, new UrlHistory(1, 3, HostSignal.Failed, AfterOwnWait: false, TimeSpan.Zero));
        Assert.True(probe.IsProbe);
    }

    [Fact]
    public void Complete_EveryFirstCallHangsAndRetriesAnswer_NeverCutsTheLimit()
    {
        var clock = new HostTestClock();
        for (long key = 1; key <= 200; key++)
        {
            Send(clock, UrlHistory.First(key), HostSignal.TimedOut);
            Send(clock, new UrlHistory(key, 2, HostSignal.TimedOut, AfterOwnWait: false, clock.Registry.Clock.TimeAt(clock.Time.GetTimestamp())), HostSignal.Accepted);
        }

        Assert.Equal(100, clock.Snapshot.ConcurrencyLimit);
        Assert.Equal(HostCircuitState.Closed, clock.Snapshot.CircuitState);
    }

    [Fact]
    public void Complete_UrlTimingOutAgain_CutsTheLimit()
    {
        var clock = new HostTestClock(new HostCoordinationOptions { MaxConcurrency = 10 });
        var permits = Enumerable.Range(0, 10).Select(_ => clock.State.TryAcquire(isRetry: false)).ToList(); // the limit binds
        Send(clock, UrlHistory.First(1), HostSignal.TimedOut, permits: permits);

        Send(clock, new UrlHistory(1, 2, HostSignal.TimedOut, AfterOwnWait: false, clock.Registry.Clock.TimeAt(clock.Time.GetTimestamp())), HostSignal.TimedOut, permits: permits);

        Assert.True(clock.Snapshot.ConcurrencyLimit < 10);
    }

    [Fact]
    public void Complete_QuietAfterARateLimit_DisengagesTheRate()
    {
        var clock = new HostTestClock();
        Send(clock, default, HostSignal.Throttled); // no key: the host's, as before
        Assert.NotNull(clock.Snapshot.Rate);

        clock.Advance(EvidenceDefaults.RateQuietPeriod + OneSecond);
        Send(clock, UrlHistory.First(1), HostSignal.Accepted);

        Assert.Null(clock.Snapshot.Rate);
    }

    private static void Send(HostTestClock clock, UrlHistory history, HostSignal signal, TimeSpan? retryAfter = null, List<HostPermit>? permits = null)
    {
        var permit = clock.State.TryAcquire(isRetry: history.AlreadySent, retryAlreadyCounted: false, history);
        if (!permit.IsAcquired && permits is { Count: > 0 })
        {
            permits[0].Dispose();
            permits.RemoveAt(0);
            permit = clock.State.TryAcquire(isRetry: history.AlreadySent, retryAlreadyCounted: false, history);
        }

        Assert.True(permit.IsAcquired, permit.DenialReason.ToString());
        permit.Complete(signal, retryAfter);
        permit.Dispose();
    }
}
