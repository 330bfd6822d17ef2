using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class SmallGatePartsTests
{
    [Fact]
    public void RoundTripEstimate_Samples_SmoothsByAnEighth()
    {
        var estimate = new RoundTripEstimate();
        Assert.Equal(TimeSpan.FromMilliseconds(100), estimate.Smoothed);

        estimate.Sample(TimeSpan.FromMilliseconds(900));

        Assert.Equal(TimeSpan.FromMilliseconds(200), estimate.Smoothed);
        Assert.Equal(TimeSpan.FromMilliseconds(20), estimate.SlotWait(10));
        Assert.Equal(TimeSpan.FromMilliseconds(1), estimate.SlotWait(1_000)); // never below a millisecond
    }

    [Fact]
    public void OnCompleted_NoRoundTripGiven_LeavesTheEstimate()
    {
        // Timeouts, errors and cancellations are not round trips: only a measured one moves the estimate, which the
        // concurrency limit's wait hint shows.
        var clock = new HostTestClock(new HostCoordinationOptions { MaxConcurrency = 1, AdaptiveRateEnabled = false });
        var permit = clock.State.TryAcquire(isRetry: false);
        clock.Time.Advance(TimeSpan.FromSeconds(30));
        clock.State.OnCompleted(permit, HostSignal.TimedOut, null);
        var refused = clock.State.TryAcquire(isRetry: false);
        Assert.Equal(TimeSpan.FromMilliseconds(100), refused.WaitHint);

        clock.State.OnCompleted(permit, HostSignal.Accepted, null, roundTrip: TimeSpan.FromMilliseconds(900));

        Assert.Equal(TimeSpan.FromMilliseconds(200), clock.State.TryAcquire(isRetry: false).WaitHint);
        permit.Dispose();
    }

    [Fact]
    public void OverloadDetector_ManyOverloadsOfOneRoundTrip_DecreasesOnce()
    {
        var detector = new OverloadDetector();

        Assert.True(detector.ShouldDecrease(HostSignal.Throttled, permitSequence: 1, lastGranted: 100));
        Assert.False(detector.ShouldDecrease(HostSignal.TimedOut, permitSequence: 50, lastGranted: 120));
        Assert.False(detector.ShouldDecrease(HostSignal.Failed, permitSequence: 101, lastGranted: 120));
        Assert.True(detector.ShouldDecrease(HostSignal.TimedOut, permitSequence: 101, lastGranted: 120));
    }

    [Theory]
    [InlineData(100, 50, 0.0)]
    [InlineData(100, 30, 20.0 / 101)]
    [InlineData(0, 0, 0.0)]
    [InlineData(30, 0, 10.0 / 31)]
    public void RetryThrottle_RejectProbability_IsTheSreFormula(long requests, long accepts, double expected)
    {
        Assert.Equal(expected, RetryThrottle.RejectProbability(requests, accepts, k: 2, free: 20), 12);
    }

    [Fact]
    public void RetryThrottle_HoldsBack_DrawsOnlyAboveZero()
    {
        var throttle = new RetryThrottle(TimeSpan.FromMinutes(1), 10, k: 2, free: 0);
        int draws = 0;

        Assert.False(throttle.HoldsBack(TimeSpan.Zero, () => { draws++; return 0; }));
        throttle.Record(TimeSpan.Zero, addRequest: true, accepted: false);

        Assert.True(throttle.HoldsBack(TimeSpan.Zero, () => { draws++; return 0.49; }));
        Assert.False(throttle.HoldsBack(TimeSpan.Zero, () => { draws++; return 0.5; }));
        Assert.Equal(2, draws);
    }

    [Theory]
    [InlineData(10.0, 5, 10.1)] // binds: grows by 1/limit
    [InlineData(10.0, 4, 10.0)] // less than half in use: stays
    [InlineData(100.0, 100, 100.0)] // at the maximum
    public void AdaptiveConcurrencyLimiter_Grown_OnlyWhileTheLimitBinds(double limit, int inFlight, double expected)
    {
        Assert.Equal(expected, AdaptiveConcurrencyLimiter.Grown(limit, inFlight, min: 1, max: 100), 12);
    }

    [Theory]
    [InlineData(10.0, 5, 7.0)] // binds: times 0.7
    [InlineData(10.0, 4, 10.0)] // did not bind: stays
    [InlineData(1.2, 1, 1.0)] // never below the floor
    public void AdaptiveConcurrencyLimiter_Shrunk_OnlyWhileTheLimitBindsAndNotBelowTheFloor(double limit, int inFlight, double expected)
    {
        Assert.Equal(expected, AdaptiveConcurrencyLimiter.Shrunk(limit, inFlight, min: 1, max: 100, factor: 0.7), 12);
    }
}
