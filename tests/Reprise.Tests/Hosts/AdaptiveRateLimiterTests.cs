using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class AdaptiveRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly AdaptiveRateLimiter _limiter;

    public AdaptiveRateLimiterTests()
    {
        _limiter = new AdaptiveRateLimiter(_time, _time.GetTimestamp());
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

        SendAt(rate: afterThrottle, seconds: 5, throttleAtEnd: false);

        Assert.True(_limiter.CurrentRate > afterThrottle, $"{_limiter.CurrentRate} after {afterThrottle}");
    }

    [Fact]
    public void PauseUntil_PauseEnds_ResumesOneTokenAtATimeNotInABurst()
    {
        SendAt(rate: 100, seconds: 2, throttleAtEnd: true);
        double rate = _limiter.CurrentRate!.Value;
        _limiter.PauseUntil(Now, Now + TimeSpan.FromSeconds(5));

        Assert.False(_limiter.TryTake(Now, out var wait));
        Assert.True(wait >= TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(10)); // long after the pause: the bucket holds one token, not 5 s worth
        Assert.True(_limiter.TryTake(Now, out _));
        Assert.False(_limiter.TryTake(Now, out wait));
        Assert.Equal(1 / rate, wait.TotalSeconds, 3);
    }

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
