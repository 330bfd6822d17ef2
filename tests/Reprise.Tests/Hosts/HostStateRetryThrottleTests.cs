using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class HostStateRetryThrottleTests
{
    // Breaker and limits off: these tests look at the retry throttle alone.
    private static HostCoordinationOptions ThrottleOnly(bool failFast = false) => new()
    {
        CircuitBreakerEnabled = false,
        AdaptiveConcurrencyEnabled = false,
        AdaptiveRateEnabled = false,
        FailFastWhenRetryThrottled = failFast,
    };

    [Fact]
    public void RejectProbability_FewAccepts_FollowsTheSreFormula()
    {
        var throttle = new RetryThrottle(TimeSpan.FromMinutes(1), 10, k: 2, free: 0);
        for (int i = 0; i < 100; i++)
        {
            throttle.Record(TimeSpan.Zero, addRequest: true, accepted: i < 20);
        }

        Assert.Equal((100 - (2.0 * 20)) / 101, throttle.RejectProbability(TimeSpan.Zero), 12);
    }

    [Fact]
    public void RejectProbability_WindowPassed_ForgetsOldCounts()
    {
        var throttle = new RetryThrottle(TimeSpan.FromMinutes(1), 10, k: 2, free: 0);
        throttle.Record(TimeSpan.Zero, addRequest: true, accepted: false);
        throttle.Record(TimeSpan.FromSeconds(30), addRequest: true, accepted: false);

        Assert.Equal(2, throttle.Requests);
        Assert.True(throttle.RejectProbability(TimeSpan.FromSeconds(61)) > 0);
        Assert.Equal(1, throttle.Requests);
        Assert.Equal(0, throttle.RejectProbability(TimeSpan.FromSeconds(91)));
        Assert.Equal(0, throttle.Requests);
    }

    [Fact]
    public void RejectProbability_WithinFreeRequests_IsZero()
    {
        var throttle = new RetryThrottle(TimeSpan.FromMinutes(1), 10, k: 2, free: 20);
        for (int i = 0; i < 20; i++)
        {
            throttle.Record(TimeSpan.Zero, addRequest: true, accepted: false);
        }

        Assert.Equal(0, throttle.RejectProbability(TimeSpan.Zero));
        throttle.Record(TimeSpan.Zero, addRequest: true, accepted: false);
        Assert.Equal(1.0 / 22, throttle.RejectProbability(TimeSpan.Zero), 12);
    }

    [Fact]
    public void TryAcquire_FirstAttemptsToFailingHost_AreNeverRefused()
    {
        var clock = new HostTestClock(ThrottleOnly(), random: () => 0);

        for (int i = 0; i < 1000; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        Assert.True(clock.Snapshot.RetryRejectProbability > 0.9);
        Assert.True(clock.State.TryAcquire(isRetry: false).IsAcquired);
    }

    [Fact]
    public void TryAcquire_RetryHeldBack_AsksAgainAfterAboutARoundTripNotAWholeBucket()
    {
        var clock = new HostTestClock(ThrottleOnly(), random: () => 0);
        for (int i = 0; i < 100; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        var refused = clock.State.TryAcquire(isRetry: true);

        // The bucket is 6 s; with no round trip measured yet the estimate is its initial 100 ms.
        Assert.Equal(HostDenialReason.RetryBudgetExhausted, refused.DenialReason);
        Assert.Equal(RoundTripEstimate.Initial, refused.WaitHint);
    }

    [Fact]
    public void TryAcquire_HostFailing40PercentAtRandom_NeverRefusesARetry()
    {
        var host = new Random(40);
        var clock = new HostTestClock(new HostCoordinationOptions(), random: new Random(7).NextDouble);
        int refused = 0;

        // 20,000 requests of up to 6 attempts, 100 per second: the window always holds thousands of attempts.
        for (int request = 0; request < 20_000; request++)
        {
            for (int attempt = 1; attempt <= 6; attempt++)
            {
                var permit = clock.State.TryAcquire(isRetry: attempt > 1);
                if (!permit.IsAcquired)
                {
                    refused++;
                    break;
                }

                bool ok = host.NextDouble() >= 0.4;
                permit.Complete(ok ? HostSignal.Accepted : HostSignal.Failed, null);
                permit.Dispose();
                if (ok)
                {
                    break;
                }
            }

            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(0, refused);
        Assert.Equal(HostCircuitState.Closed, clock.Snapshot.CircuitState);
    }

    [Fact]
    public void TryAcquire_HostFailing100Percent_SendsRetriesForASmallFractionOfRequests()
    {
        var clock = new HostTestClock(ThrottleOnly(), random: new Random(7).NextDouble);
        int firstAttempts = 0;
        int retriesSent = 0;

        for (int request = 0; request < 1000; request++)
        {
            clock.Send(HostSignal.Failed);
            firstAttempts++;
            for (int retry = 0; retry < 3; retry++)
            {
                var permit = clock.State.TryAcquire(isRetry: true);
                if (!permit.IsAcquired)
                {
                    Assert.Equal(HostDenialReason.RetryBudgetExhausted, permit.DenialReason);
                    break;
                }

                retriesSent++;
                permit.Complete(HostSignal.Failed, null);
                permit.Dispose();
            }

            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        // Without throttling 3,000 retries would go out. The SRE formula lets through about (K*accepts + free + 1) / requests
        // of the asks, a share that falls as the window fills.
        Assert.InRange(retriesSent, 1, firstAttempts / 10);
    }

    [Fact]
    public async Task AcquireAsync_RetryHeldBack_WaitsAndIsCountedOnce()
    {
        var clock = new HostTestClock(ThrottleOnly()) { NextRandom = 0 };
        for (int i = 0; i < 100; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        long requestsBefore = clock.Snapshot.RecentRequests;
        var waiting = clock.State.AcquireAsync(isRetry: true, CancellationToken.None).AsTask();

        Assert.False(waiting.IsCompleted);
        Assert.Equal(requestsBefore + 1, clock.Snapshot.RecentRequests);

        clock.Advance(TimeSpan.FromSeconds(6)); // one bucket: the retry asks again and is held back again
        Assert.False(waiting.IsCompleted);
        Assert.Equal(requestsBefore + 1, clock.Snapshot.RecentRequests);

        // The host accepts a request: the waiter asks again at once and this time the draw lets it through.
        clock.NextRandom = 0.999;
        clock.Send(HostSignal.Accepted);
        using var permit = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(permit.IsAcquired);
        permit.Complete(HostSignal.Failed, null);
        Assert.Equal(requestsBefore + 2, clock.Snapshot.RecentRequests); // the retry itself is not counted twice
    }

    [Fact]
    public async Task AcquireAsync_RetryHeldBackWithFailFast_ReturnsRetryBudgetExhausted()
    {
        var clock = new HostTestClock(ThrottleOnly(failFast: true)) { NextRandom = 0 };
        for (int i = 0; i < 100; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        using var permit = await clock.State.AcquireAsync(isRetry: true, CancellationToken.None);

        Assert.False(permit.IsAcquired);
        Assert.Equal(HostDenialReason.RetryBudgetExhausted, permit.DenialReason);
        Assert.True(permit.WaitHint > TimeSpan.Zero);
    }

    [Fact]
    public void Complete_CancelledAttempt_IsNotCounted()
    {
        var clock = new HostTestClock(ThrottleOnly());

        clock.Send(HostSignal.Cancelled);
        clock.State.TryAcquire(isRetry: false).Dispose();

        Assert.Equal(0, clock.Snapshot.RecentRequests);
    }
}
