using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class HostRegistryTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData("https://api.test/a", "https://API.test/b?q=1", true)]
    [InlineData("https://api.test/", "https://api.test:443/", true)]
    [InlineData("https://api.test/", "http://api.test/", false)]
    [InlineData("https://api.test/", "https://api.test:8443/", false)]
    [InlineData("https://api.test/", "https://other.test/", false)]
    public void GetState_TwoUris_ShareStateOnlyForSameSchemeHostAndPort(string first, string second, bool shared)
    {
        var registry = new HostRegistry(_time);

        bool same = ReferenceEquals(registry.GetState(new Uri(first)), registry.GetState(new Uri(second)));

        Assert.Equal(shared, same);
    }

    [Fact]
    public void GetState_RelativeUri_Throws()
    {
        var registry = new HostRegistry(_time);

        Assert.Throws<ArgumentException>(() => registry.GetState(new Uri("/path", UriKind.Relative)));
    }

    [Fact]
    public void GetState_MillionDistinctHosts_CountNeverExceedsTheCap()
    {
        var registry = new HostRegistry(new HostCoordinationOptions { MaxHosts = 1000 }, _time);
        int most = 0;

        for (int i = 0; i < 1_000_000; i++)
        {
            registry.GetState(new Uri($"http://h{i}.test/"));
            most = Math.Max(most, registry.Count);
        }

        Assert.Equal(1000, most);
        Assert.InRange(registry.Count, 900, 1000);
    }

    [Fact]
    public void GetState_OverTheCap_DropsTheLeastRecentlyUsedFirst()
    {
        var registry = new HostRegistry(new HostCoordinationOptions { MaxHosts = 10 }, _time);
        var keep = new Uri("http://keep.test/");
        registry.GetState(keep);

        for (int i = 0; i < 100; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            registry.GetState(new Uri($"http://h{i}.test/"));
            registry.GetState(keep);
        }

        Assert.NotNull(registry.GetSnapshot(keep));
        Assert.Null(registry.GetSnapshot(new Uri("http://h0.test/")));
    }

    [Fact]
    public void GetState_HostIdleLongerThanTheTimeout_IsDropped()
    {
        var registry = new HostRegistry(new HostCoordinationOptions { IdleTimeout = TimeSpan.FromMinutes(5) }, _time);
        var idle = new Uri("http://idle.test/");
        var active = new Uri("http://active.test/");
        registry.GetState(idle);

        for (int minute = 0; minute < 7; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            registry.GetState(active);
        }

        Assert.Null(registry.GetSnapshot(idle));
        Assert.NotNull(registry.GetSnapshot(active));
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public void GetState_IdleHostWithRequestInFlight_IsKept()
    {
        var registry = new HostRegistry(new HostCoordinationOptions { IdleTimeout = TimeSpan.FromMinutes(5) }, _time);
        var slow = new Uri("http://slow.test/");
        using var permit = registry.GetState(slow).TryAcquire(isRetry: false);

        for (int minute = 0; minute < 10; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            registry.GetState(new Uri("http://other.test/"));
        }

        Assert.NotNull(registry.GetSnapshot(slow));
    }

    [Fact]
    public void GetSnapshots_SeveralHosts_ReportsEachWithItsState()
    {
        var registry = new HostRegistry(new HostCoordinationOptions(), _time);
        var paused = registry.GetState(new Uri("https://paused.test/"));
        registry.GetState(new Uri("https://calm.test/"));
        var permit = paused.TryAcquire(isRetry: false);
        permit.Complete(HostSignal.Throttled, TimeSpan.FromSeconds(3));
        permit.Dispose();

        var snapshots = registry.GetSnapshots().OrderBy(s => s.Host, StringComparer.Ordinal).ToList();

        Assert.Equal(["https://calm.test:443", "https://paused.test:443"], snapshots.Select(s => s.Host));
        Assert.Null(snapshots[0].PausedUntil);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(3), snapshots[1].PausedUntil);
        Assert.NotNull(snapshots[1].Rate);
        Assert.Equal(100, snapshots[0].ConcurrencyLimit);
        Assert.Equal(HostCircuitState.Closed, snapshots[1].CircuitState);
    }

    [Fact]
    public void TryAcquire_FixedRateLimitUsed_RefusesWithRateLimit()
    {
        // One request per 1,000 s: the BCL token bucket has its single token, then none for the rest of the test.
        var registry = new HostRegistry(new HostCoordinationOptions { RateLimit = 0.001 }, _time);
        var state = registry.GetState(new Uri("https://fixed.test/"));

        using var first = state.TryAcquire(isRetry: false);
        using var second = state.TryAcquire(isRetry: false);

        Assert.True(first.IsAcquired);
        Assert.False(second.IsAcquired);
        Assert.Equal(HostDenialReason.RateLimit, second.DenialReason);
        Assert.Equal(TimeSpan.FromSeconds(1000), second.WaitHint);
        Assert.NotNull(state.FixedRateLimiter);
    }
}
