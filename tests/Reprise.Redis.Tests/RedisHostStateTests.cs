using Reprise.Hosts;
using Xunit.Abstractions;

namespace Reprise.Redis.Tests;

public sealed class RedisHostStateTests : IClassFixture<RedisServers>
{
    private static readonly Uri Host = new("http://api.example:8080/items/1");
    private readonly RedisServers _servers;
    private readonly ITestOutputHelper _output;

    public RedisHostStateTests(RedisServers servers, ITestOutputHelper output) => (_servers, _output) = (servers, output);

    public static TheoryData<string> Kinds => RedisServers.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Check_PauseSetInOneRegistry_OtherRegistryWaitsWithinCacheValidity(string kind)
    {
        await SharedRegistries.RunAsync(() => new SharedRegistries(_servers.Get(kind), 2), async shared =>
        {
            var (a, b) = (shared.Registries[0], shared.Registries[1]);
            using (var first = b.GetState(Host).TryAcquire(isRetry: false))
            {
                Assert.True(first.IsAcquired);
                first.Complete(HostSignal.Accepted, null);
            }

            using (var throttled = a.GetState(Host).TryAcquire(isRetry: false))
            {
                throttled.Complete(HostSignal.Throttled, TimeSpan.FromSeconds(30));
            }

            // Published at once; at the latest read again after the cache validity (1 s of simulated time).
            shared.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await shared.EventuallyAsync(() => Refused(b) == HostDenialReason.HostPaused));

            using var refused = b.GetState(Host).TryAcquire(isRetry: false);
            Assert.InRange(refused.WaitHint, TimeSpan.FromSeconds(28), TimeSpan.FromSeconds(33));
        });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Check_OpenCircuitAcrossThreeRegistries_OneProbeAtATime(string kind)
    {
        await SharedRegistries.RunAsync(() => new SharedRegistries(_servers.Get(kind), 3), async shared =>
        {
            foreach (var registry in shared.Registries)
            {
                using var permit = registry.GetState(Host).TryAcquire(isRetry: false);
                permit.Complete(HostSignal.Accepted, null);
            }

            // Registry 0 sees the host fail until its circuit opens (20 in a row).
            for (int i = 0; i < 20; i++)
            {
                using var permit = shared.Registries[0].GetState(Host).TryAcquire(isRetry: false);
                permit.Complete(HostSignal.Failed, null);
            }

            Assert.True(await shared.EventuallyAsync(() => shared.Registries.All(r => Refused(r) == HostDenialReason.CircuitOpen)));

            // At probe time every registry asks, again and again: exactly one request goes out across all three.
            shared.Time.Advance(TimeSpan.FromSeconds(2));
            var granted = new List<HostPermit>();
            for (int round = 0; round < 40; round++)
            {
                foreach (var registry in shared.Registries)
                {
                    var permit = registry.GetState(Host).TryAcquire(isRetry: false);
                    if (permit.IsAcquired)
                    {
                        granted.Add(permit);
                    }
                }

                await shared.SettleAsync();
            }

            var probe = Assert.Single(granted);

            // Its success closes the circuit for everyone: by the change message, or else at each registry's next sync,
            // within the cache validity (1 s). The clock moves up to that: in 1 of 5 quiet runs a registry did not see the
            // message and, with the clock standing still, never synced (cause not found; see issue 12's note).
            probe.Complete(HostSignal.Accepted, null);
            probe.Dispose();
            var moved = TimeSpan.Zero;
            Assert.True(await shared.EventuallyAsync(() =>
            {
                if (moved < TimeSpan.FromSeconds(1))
                {
                    shared.Time.Advance(TimeSpan.FromMilliseconds(10));
                    moved += TimeSpan.FromMilliseconds(10);
                }

                return shared.Registries.All(r => Refused(r) is null);
            }));
        });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TryTakeToken_ThreeRegistriesOnFakeTime_GrantNoMoreThanTheRate(string kind)
    {
        const double Rate = 100;
        const int Burst = 5;
        var simulated = TimeSpan.FromSeconds(3);

        // The local fixed limit never binds (a large burst): only the shared rate does.
        await SharedRegistries.RunAsync(() => new SharedRegistries(_servers.Get(kind), 3, o => (o.RateLimit, o.RateLimitBurst, o.AdaptiveRateEnabled) = (Rate, 100_000, false), r => r.RateBurst = Burst), async shared =>
        {
            int granted = 0;
            var end = shared.Time.GetUtcNow() + simulated;
            while (shared.Time.GetUtcNow() < end)
            {
                granted += shared.Registries.Sum(SendAllGranted);

                await shared.SettleAsync();
                shared.Time.Advance(TimeSpan.FromMilliseconds(5));
            }

            _output.WriteLine($"{kind}: {granted} granted; {shared.States.Sum(s => s.RoundTrips)} round trips");
            Assert.InRange(granted, (int)(0.8 * Rate * simulated.TotalSeconds), (int)(Rate * simulated.TotalSeconds) + Burst + 1);
        });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TryTakeToken_SteadyState_AtMostOneRoundTripPerTwentyRequests(string kind)
    {
        const double Rate = 200;
        await SharedRegistries.RunAsync(() => new SharedRegistries(_servers.Get(kind), 1, o => (o.RateLimit, o.RateLimitBurst, o.AdaptiveRateEnabled) = (Rate, 100_000, false)), async shared =>
        {
            var registry = shared.Registries[0];
            int granted = 0;
            for (int step = 0; step < 1000; step++)
            {
                granted += SendAllGranted(registry);

                await shared.SettleAsync();
                shared.Time.Advance(TimeSpan.FromMilliseconds(5));
            }

            // 5 s at 200/s: every round trip counted by the client (leases, cache reads, the subscription aside).
            double perRequest = (double)shared.States[0].RoundTrips / granted;
            _output.WriteLine($"{kind}: {shared.States[0].RoundTrips} round trips for {granted} requests: {perRequest:F4} per request");
            Assert.True(granted >= 900, $"granted {granted}");
            Assert.True(perRequest <= 0.05, $"{perRequest:F4} round trips per request ({shared.States[0].RoundTrips} for {granted})");
        });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TryTakeToken_ThreeRegistriesSharingTheRate_AtMostOneRoundTripPerTwentyRequestsAtSteadyState(string kind)
    {
        // Each registry sends a third of 150/s: time-sized leases would be a few tokens each; counted leases are 32.
        const double Rate = 150;
        await SharedRegistries.RunAsync(() => new SharedRegistries(_servers.Get(kind), 3, o => (o.RateLimit, o.RateLimitBurst, o.AdaptiveRateEnabled) = (Rate, 100_000, false)), async shared =>
        {
            long roundTripsBefore = 0;
            int granted = 0;
            for (int step = 0; step < 1600; step++)
            {
                if (step == 600)
                {
                    // After 3 s of simulated time (the first syncs, every quarter validity, are over): steady state.
                    (roundTripsBefore, granted) = (shared.States.Sum(s => s.RoundTrips), 0);
                }

                granted += shared.Registries.Sum(SendAllGranted);

                await shared.SettleAsync();
                shared.Time.Advance(TimeSpan.FromMilliseconds(5));
            }

            long roundTrips = shared.States.Sum(s => s.RoundTrips) - roundTripsBefore;
            double perRequest = (double)roundTrips / granted;
            _output.WriteLine($"{kind}: {roundTrips} round trips for {granted} requests over 5 s: {perRequest:F4} per request");
            Assert.InRange(granted, (int)(0.8 * Rate * 5), (int)(Rate * 5) + 2);
            Assert.True(perRequest <= 0.05, $"{perRequest:F4} round trips per request ({roundTrips} for {granted})");
        });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TryAcquire_FailuresSeenByAnotherRegistry_HoldBackRetriesHere(string kind)
    {
        await SharedRegistries.RunAsync(() => new SharedRegistries(_servers.Get(kind), 2, static o =>
            (o.CircuitBreakerEnabled, o.AdaptiveConcurrencyEnabled, o.AdaptiveRateEnabled, o.FailFastWhenRetryThrottled) = (false, false, false, true)), async shared =>
        {
            var (a, b) = (shared.Registries[0], shared.Registries[1]);
            using (var first = b.GetState(Host).TryAcquire(isRetry: false))
            {
                first.Complete(HostSignal.Accepted, null);
            }

            // Registry a alone sees the host fail; registry b's own counts are one accepted request.
            for (int i = 0; i < 100; i++)
            {
                using var permit = a.GetState(Host).TryAcquire(isRetry: false);
                permit.Complete(HostSignal.Failed, null);
            }

            // After a cache validity each syncs: a adds its counts, then b reads every process's.
            await shared.SettleAsync();
            shared.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Null(Refused(a));
            await shared.SettleAsync();
            Assert.True(await shared.EventuallyAsync(() =>
            {
                Refused(b);
                return shared.States[1].TryGetRetryCounts(Key, out long requests, out _) && requests >= 100;
            }));

            // (101 - 2 x 1) / 102 of retries are held back; the registry draws 0.5.
            using var retry = b.GetState(Host).TryAcquire(isRetry: true);
            Assert.False(retry.IsAcquired);
            Assert.Equal(HostDenialReason.RetryBudgetExhausted, retry.DenialReason);
        });
    }

    private const string Key = "http://api.example:8080";

    private static HostDenialReason? Refused(HostRegistry registry)
    {
        using var permit = registry.GetState(Host).TryAcquire(isRetry: false);
        if (permit.IsAcquired)
        {
            permit.Complete(HostSignal.Cancelled, null);
            return null;
        }

        return permit.DenialReason;
    }

    /// <summary>Sends (as accepted at once) every request the registry grants now; returns how many.</summary>
    private static int SendAllGranted(HostRegistry registry)
    {
        int granted = 0;
        while (registry.GetState(Host).TryAcquire(isRetry: false) is { IsAcquired: true } permit)
        {
            granted++;
            permit.Complete(HostSignal.Accepted, null);
            permit.Dispose();
        }

        return granted;
    }
}
