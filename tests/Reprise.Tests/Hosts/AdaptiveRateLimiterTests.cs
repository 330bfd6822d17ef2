using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;
using Reprise.Timing;

namespace Reprise.Tests.Hosts;

public sealed class AdaptiveRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly AdaptiveRateLimiter _limiter;

    public AdaptiveRateLimiterTests()
    {
        _limiter = new AdaptiveRateLimiter(new RegistryClock(_time));
    }

    private TimeSpan Now => TimeSpan.Zero + (_time.GetUtcNow() - _start);

    private readonly DateTimeOffset _start = new FakeTimeProvider().GetUtcNow();

    [Fact]
    public void AttemptAcquire_BeforeAnyThrottle_AlwaysSucceeds()
    {
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(_limiter.AttemptAcquire().IsAcquired);
        }

        Assert.Null(_limiter.CurrentRate);
    }

    [Fact]
    public void OnResponse_Throttle_EngagesBelowTheMeasuredRate()
    {
        SendAt(rate: 100, seconds: 2, throttleAtEnd: true);

        Assert.NotNull(_limiter.CurrentRate);
        Assert.InRange(_limiter.CurrentRate!.Value, 50, 100);
    }

    [Fact]
    public void OnResponse_SuccessesAfterAThrottle_RateGrowsBackTowardsTheLimit()
    {
        SendAt(rate: 100, seconds: 2, throttleAtEnd: true);
        double afterThrottle = _limiter.CurrentRate!.Value;

        SendAsFastAsAllowed(seconds: 5);

        Assert.True(_limiter.CurrentRate > afterThrottle, $"{_limiter.CurrentRate} after {afterThrottle}");
    }

    [Fact]
    public void PauseUntil_PauseEnds_ResumesWithATimersSlackNotInABurst()
    {
        SendAt(rate: 100, seconds: 2, throttleAtEnd: true);
        double rate = _limiter.CurrentRate!.Value;
        _limiter.PauseUntil(Now, Now + TimeSpan.FromSeconds(5));

        Assert.False(_limiter.TryTake(Now, out var wait));
        Assert.True(wait >= TimeSpan.FromSeconds(5));

        // Long after the pause the bucket holds one token and a timer's slack (20 ms of rate), not 5 s worth.
        _time.Advance(TimeSpan.FromSeconds(10));
        int taken = 0;
        while (_limiter.TryTake(Now, out wait))
        {
            taken++;
        }

        Assert.Equal((int)AdaptiveRateLimiter.BucketCapacity(rate), taken);
        Assert.True(wait.TotalSeconds <= 1 / rate, $"next token in {wait}");
    }

    [Theory]
    [InlineData(0.5, 1.01)]
    [InlineData(200, 5)]
    [InlineData(1_000, 21)]
    public void BucketCapacity_Rate_IsOneTokenAndTwentyMillisecondsOfRate(double rate, double expected)
        => Assert.Equal(expected, AdaptiveRateLimiter.BucketCapacity(rate), 6);

    [Fact]
    public async Task AcquireAsync_NoToken_WaitsForTheNextOne()
    {
        SendAt(rate: 100, seconds: 2, throttleAtEnd: true);
        while (_limiter.TryTake(Now, out _))
        {
        }

        var waiting = _limiter.AcquireAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await waiting.WaitAsync(TimeSpan.FromSeconds(30))).IsAcquired);
    }

    [Fact]
    public void OnResponse_FirstThrottleBeforeAnyMeasurement_StartsLowAndDoublesPerWindow()
    {
        _time.Advance(TimeSpan.FromMilliseconds(1));
        for (int i = 0; i < 20; i++)
        {
            _limiter.OnResponse(Now, throttled: false, decrease: false); // the host's burst, all in the first instant
        }

        Pause(TimeSpan.FromSeconds(1), then: () => _limiter.OnResponse(Now, throttled: true, decrease: true, paused: true));
        double start = _limiter.CurrentRate!.Value;
        Assert.InRange(start, 100, 200); // 20 responses over at least 0.1 s (200/s, less the margins), not over the 1 ms they took

        _time.Advance(TimeSpan.FromSeconds(1)); // the pause
        var rates = new List<double>();
        for (int window = 1; window <= 4; window++)
        {
            SendAsFastAsAllowed(seconds: 0.5);
            rates.Add(_limiter.CurrentRate!.Value);
        }

        Assert.All(rates.Zip(rates.Skip(1)), pair => Assert.InRange(pair.Second / pair.First, 1.8, 2.2));
        Assert.True(rates[^1] > 8 * start, string.Join(", ", rates));
    }

    [Fact]
    public void OnResponse_PausedThrottlesAtTheSameRate_LowerTheMaximumEachTime()
    {
        // A plateau held above the limit by a measurement inflated by the host's burst must not stay there.
        SendAt(rate: 200, seconds: 2, throttleAtEnd: false);
        var rates = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            Pause(TimeSpan.FromSeconds(1), then: () => _limiter.OnResponse(Now, throttled: true, decrease: true, paused: true));
            rates.Add(_limiter.CurrentRate!.Value);
            _time.Advance(TimeSpan.FromSeconds(1));
            // Back at the maximum (the recovery takes 6 s from the throttle), with a measurement that reads above it.
            SendAt(rate: 250, seconds: 5, throttleAtEnd: false);
        }

        Assert.All(rates.Zip(rates.Skip(1)), pair => Assert.True(pair.Second < pair.First, string.Join(", ", rates)));
    }

    [Fact]
    public void MeasuredRate_AfterAPause_IsTheSendRateNotDilutedByThePause()
    {
        SendAt(rate: 100, seconds: 2, throttleAtEnd: true);
        _time.Advance(TimeSpan.FromSeconds(0.25)); // the pause starts a quarter into a window
        _limiter.PauseUntil(Now, Now + TimeSpan.FromSeconds(3));
        _time.Advance(TimeSpan.FromSeconds(3));

        SendAt(rate: 100, seconds: 1.2, throttleAtEnd: false);

        Assert.InRange(_limiter.MeasuredRate, 98, 102);
    }

    [Fact]
    public void AttemptAcquire_MorePermitsThanThere_TakesNone()
    {
        SendAt(rate: 100, seconds: 2, throttleAtEnd: true);
        _time.Advance(TimeSpan.FromSeconds(10)); // the bucket is full
        int more = (int)AdaptiveRateLimiter.BucketCapacity(_limiter.CurrentRate!.Value) + 1;

        Assert.False(_limiter.AttemptAcquire(more).IsAcquired);

        Assert.True(_limiter.AttemptAcquire(1).IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWithSomePermitsTaken_GivesThemBack()
    {
        SendAt(rate: 100, seconds: 2, throttleAtEnd: true);
        _time.Advance(TimeSpan.FromSeconds(10)); // the bucket is full
        int more = (int)AdaptiveRateLimiter.BucketCapacity(_limiter.CurrentRate!.Value) + 1;
        using var cts = new CancellationTokenSource();

        var waiting = _limiter.AcquireAsync(more, cts.Token).AsTask(); // takes the tokens there, then waits for the next
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        Assert.True(_limiter.AttemptAcquire(1).IsAcquired);
    }

    private void Pause(TimeSpan length, Action then)
    {
        // The host pauses first, then the throttle is reported, as HostState does.
        _limiter.PauseUntil(Now, Now + length);
        then();
    }

    [Fact]
    public void OnResponse_RateNobodyWaitsFor_DoesNotGrow()
    {
        // Slow start after a first throttle with no measurement, then a sender at a quarter of the rate: the limiter
        // never makes a request wait, so it learns nothing that would let it grow (it used to double every half second).
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _limiter.OnResponse(Now, throttled: true, decrease: true);
        double start = _limiter.CurrentRate!.Value;

        SendAt(rate: start / 4, seconds: 3, throttleAtEnd: false);

        Assert.Equal(start, _limiter.CurrentRate!.Value);
    }

    [Fact]
    public void OnResponse_ThrottlesOfRequestsSentWithinATokenOfADecrease_LowerTheRateOnce()
    {
        SendAt(rate: 100, seconds: 2, throttleAtEnd: true);
        double afterThrottle = _limiter.CurrentRate!.Value;
        var oneToken = TimeSpan.FromSeconds(1 / afterThrottle);
        var decreasedAt = Now;

        // Requests sent within one token of the decrease may spend tokens reserved at the old rate.
        for (int i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            _limiter.OnResponse(Now, throttled: true, decrease: true, sentAt: decreasedAt + (oneToken * i / 10));
        }

        Assert.Equal(afterThrottle, _limiter.CurrentRate!.Value);

        _limiter.OnResponse(Now, throttled: true, decrease: true, sentAt: decreasedAt + oneToken);
        Assert.True(_limiter.CurrentRate < afterThrottle);
    }

    [Fact]
    public void Engage_FromACheck_StartsBelowTheAcceptedRateAndOnlyOnce()
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        _limiter.Engage(Now, acceptedRate: 200);
        double start = _limiter.CurrentRate!.Value;
        Assert.InRange(start, 100, 200);

        _limiter.Engage(Now, acceptedRate: 10_000);
        Assert.Equal(start, _limiter.CurrentRate!.Value);
    }

    [Fact]
    public async Task WaitForTokenAsync_RateLoweredWhileWaiting_WaitsAtTheLoweredRate()
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        _limiter.Engage(Now, acceptedRate: 20);
        double rate = _limiter.CurrentRate!.Value;
        while (_limiter.TryTake(Now, out _))
        {
        }

        // The waiter reserves the next token, due 1 / rate from now (within the reservation horizon).
        var waiting = _limiter.WaitForTokenAsync(CancellationToken.None).AsTask();
        _limiter.OnResponse(Now, throttled: true, decrease: true, sentAt: Now + HostCoordinationDefaults.RateReserveHorizon);
        double lowered = _limiter.CurrentRate!.Value;
        Assert.True(lowered < rate);

        long reservations = _limiter.GetStatistics()!.TotalSuccessfulLeases;
        _time.Advance(TimeSpan.FromSeconds(1 / rate) + TimeSpan.FromMilliseconds(1));

        // The timer's continuation runs on the thread pool: wait until the waiter either ended or reserved again.
        Assert.True(SpinWait.SpinUntil(() => waiting.IsCompleted || _limiter.GetStatistics()!.TotalSuccessfulLeases > reservations, TimeSpan.FromSeconds(30)));
        Assert.False(waiting.IsCompleted); // its token went back: it waits for one at the lowered rate

        _time.Advance(TimeSpan.FromSeconds(2 / lowered));
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
    }

    // The handler's callers wait for the rate holding tokens reserved ahead. A decrease takes them back: the waiters must
    // go on in order at the lowered rate, not all at one moment once the old reservations are repaid (that burst drew a
    // host's 429s and cut the rate twice more).
    [Fact]
    public async Task WaitForTokenAsync_RateLoweredWithWaitersQueued_WaitersGoOnInOrderAtTheLoweredRate()
    {
        var time = new SteppedTimeProvider(TimeSpan.Zero);
        var start = time.GetUtcNow();
        var limiter = new AdaptiveRateLimiter(new RegistryClock(time));
        TimeSpan Elapsed() => time.GetUtcNow() - start;
        limiter.Engage(Elapsed(), acceptedRate: 200);
        double rate = limiter.CurrentRate!.Value;
        while (limiter.TryTake(Elapsed(), out _))
        {
        }

        var sent = new List<TimeSpan>();
        async Task WaiterAsync()
        {
            await limiter.WaitForTokenAsync(CancellationToken.None);
            lock (sent)
            {
                sent.Add(Elapsed());
            }

            time.RemoveActor();
        }

        var waiters = Enumerable.Range(0, 30).Select(_ =>
        {
            time.AddActor();
            return WaiterAsync();
        }).ToList();
        time.RunUntil(start + TimeSpan.FromMilliseconds(50));
        int sentBefore = sent.Count;
        var decreasedAt = Elapsed();
        limiter.OnResponse(decreasedAt, throttled: true, decrease: true, sentAt: decreasedAt);
        double lowered = limiter.CurrentRate!.Value;
        Assert.True(lowered < rate);

        time.RunUntil(start + TimeSpan.FromSeconds(10));
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(30));

        var after = sent.Skip(sentBefore).Prepend(decreasedAt).ToList();
        var gaps = after.Zip(after.Skip(1), static (a, b) => b - a).ToList();
        var oneToken = TimeSpan.FromSeconds(1 / lowered);
        Assert.True(gaps.Max() <= oneToken * 2, $"longest gap {gaps.Max().TotalMilliseconds:F1} ms, a token is {oneToken.TotalMilliseconds:F1} ms");
        Assert.True(gaps.Skip(1).Min() >= oneToken * 0.9, $"shortest gap {gaps.Skip(1).Min().TotalMilliseconds:F1} ms, a token is {oneToken.TotalMilliseconds:F1} ms");
    }

    /// <summary>A sender with more to send than the rate allows: the rate binds it.</summary>
    private void SendAsFastAsAllowed(double seconds)
    {
        var end = Now + TimeSpan.FromSeconds(seconds);
        while (Now < end)
        {
            if (_limiter.TryTake(Now, out var wait))
            {
                _time.Advance(TimeSpan.FromTicks(1));
                _limiter.OnResponse(Now, throttled: false, decrease: false);
            }
            else
            {
                _time.Advance(wait);
            }
        }
    }

    private void SendAt(double rate, double seconds, bool throttleAtEnd)
    {
        var step = TimeSpan.FromSeconds(1 / rate);
        for (int i = 0; i < rate * seconds; i++)
        {
            _time.Advance(step);
            _limiter.OnResponse(Now, throttled: false, decrease: false);
        }

        if (throttleAtEnd)
        {
            _limiter.OnResponse(Now, throttled: true, decrease: true);
        }
    }
}
