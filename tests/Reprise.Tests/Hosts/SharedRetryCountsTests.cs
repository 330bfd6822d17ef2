using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

/// <summary>The retry throttle decides on the counts of every process when the shared state has fresh ones.</summary>
public sealed class SharedRetryCountsTests
{
    [Theory]
    [InlineData(true)] // Every other process sees the host fail: the retry waits.
    [InlineData(false)] // Stale or unknown shared counts: the local ones (all accepted) decide, and the retry goes.
    public async Task AcquireAsync_SharedCountsOfFailures_DecideWhenFresh(bool fresh)
    {
        var clock = new HostTestClock(Options(new FixedCounts(fresh, Requests: 1000, Accepts: 0))) { NextRandom = 0 };
        for (int i = 0; i < 10; i++)
        {
            clock.Send(HostSignal.Accepted);
        }

        using var permit = await clock.State.AcquireAsync(isRetry: true, CancellationToken.None);

        Assert.Equal(fresh, !permit.IsAcquired && permit.DenialReason == HostDenialReason.RetryBudgetExhausted);
        Assert.Equal(!fresh, permit.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_FreshSharedCountsHealthy_LocalFailuresDoNotHoldBack()
    {
        var clock = new HostTestClock(Options(new FixedCounts(Fresh: true, Requests: 1000, Accepts: 1000))) { NextRandom = 0 };
        for (int i = 0; i < 100; i++)
        {
            clock.Send(HostSignal.Failed);
        }

        using var permit = await clock.State.AcquireAsync(isRetry: true, CancellationToken.None);

        Assert.True(permit.IsAcquired);
    }

    // Breaker and limits off, fail fast: the retry throttle alone answers at once.
    private static HostCoordinationOptions Options(ISharedHostState shared) => new()
    {
        CircuitBreakerEnabled = false,
        AdaptiveConcurrencyEnabled = false,
        AdaptiveRateEnabled = false,
        FailFastWhenRetryThrottled = true,
        SharedState = shared,
    };

    private sealed record FixedCounts(bool Fresh, long Requests, long Accepts) : ISharedHostState
    {
        public SharedHostDecision Check(string host) => SharedHostDecision.Pass;

        public bool TryTakeToken(string host, double? rate, out TimeSpan retryAfter)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        public void Report(string host, SharedHostReport report)
        {
        }

        public bool TryGetRetryCounts(string host, out long requests, out long accepts)
        {
            (requests, accepts) = Fresh ? (Requests, Accepts) : (0, 0);
            return Fresh;
        }
    }
}
