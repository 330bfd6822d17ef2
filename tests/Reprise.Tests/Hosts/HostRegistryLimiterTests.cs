using System.Threading.RateLimiting;
using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public class HostRegistryLimiterTests
{
    private static readonly Uri Host = new("https://api.example.test/items");

    [Fact]
    public void GetConcurrencyLimiter_LeaseTakenOutside_CountsAgainstTheHostsLimit()
    {
        var registry = new HostRegistry(new HostCoordinationOptions { MaxConcurrency = 2, MinConcurrency = 1 });
        RateLimiter limiter = registry.GetConcurrencyLimiter(Host);

        using var first = limiter.AttemptAcquire();
        using var second = limiter.AttemptAcquire();
        using var third = limiter.AttemptAcquire();

        Assert.True(first.IsAcquired);
        Assert.True(second.IsAcquired);
        Assert.False(third.IsAcquired);
        Assert.Equal(2, registry.GetSnapshot(Host)!.InFlight);
        Assert.False(registry.GetState(Host).TryAcquire(isRetry: false).IsAcquired);
    }

    [Fact]
    public void GetRateLimiter_BeforeAnyThrottle_LetsEverythingThrough()
    {
        var registry = new HostRegistry();
        var limiter = registry.GetRateLimiter(Host)!;

        for (var i = 0; i < 1_000; i++)
        {
            using var lease = limiter.AttemptAcquire();
            Assert.True(lease.IsAcquired);
        }

        Assert.Null(registry.GetSnapshot(Host)!.Rate);
        Assert.Null(new HostRegistry(new HostCoordinationOptions { AdaptiveRateEnabled = false }).GetRateLimiter(Host));
    }

    [Fact]
    public void GetConcurrencyLimiter_CallerDisposesIt_HostKeepsWorking()
    {
        var registry = new HostRegistry();
        var limiter = registry.GetConcurrencyLimiter(Host);

        limiter.Dispose();

        Assert.Throws<ObjectDisposedException>(() => limiter.AttemptAcquire());
        using var permit = registry.GetState(Host).TryAcquire(isRetry: false);
        Assert.True(permit.IsAcquired);
        using var lease = registry.GetConcurrencyLimiter(Host).AttemptAcquire();
        Assert.True(lease.IsAcquired);
    }

    [Fact]
    public void GetRateLimiter_CallerDisposesIt_HostKeepsWorking()
    {
        var registry = new HostRegistry();
        var limiter = registry.GetRateLimiter(Host)!;

        limiter.Dispose();

        Assert.Throws<ObjectDisposedException>(() => limiter.AttemptAcquire());
        using var lease = registry.GetRateLimiter(Host)!.AttemptAcquire();
        Assert.True(lease.IsAcquired);
    }
}
