using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Bulk;
using Reprise.Hosts;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

/// <summary>Requests parked for a host's open circuit, and what its probe's outcome does to them.</summary>
public class BulkEngineCircuitTests
{
    private static readonly Uri Host = new("http://down.test/");

    [Fact]
    public async Task RunAsync_ProbeClosesTheCircuitWhileRequestsAreParkedForIt_SendsThemWithoutWaitingOutTheirPark()
    {
        // The host fails until the test brings it back; then it answers once the test releases it, so the probe is held
        // while every other request asks, finds it out, and is parked for a second.
        var time = NewClock();
        var hostBack = false;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sentWhileBack = 0;
        var handler = new BulkTestHandler(time, async (_, _, _, cancellationToken) =>
        {
            if (!Volatile.Read(ref hostBack))
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }

            Interlocked.Increment(ref sentWhileBack);
            await release.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var registry = new HostRegistry(
            new HostCoordinationOptions { AdaptiveConcurrencyEnabled = false, AdaptiveRateEnabled = false, RetryThrottlingEnabled = false, CircuitBreakerFailureThreshold = 2 },
            time,
            static () => 0.5);
        var options = Options(o => (o.Retry.MaxAttempts, o.Retry.AttemptTimeout) = (4, TimeSpan.FromSeconds(5)));
        using var engine = new BulkEngine(handler, options, registry, time);
        var results = new ConcurrentQueue<BulkResult>();
        var run = CollectInto(engine.RunAsync(Urls([.. Enumerable.Range(0, 8).Select(static i => $"http://down.test/{i}")])), results);

        // Every request not ended yet waits for the open circuit.
        await WaitUntilAsync(() => CircuitState(registry) == HostCircuitState.Open && engine.GetProgress().WaitingForHost + results.Count == 8);
        var parked = 8 - results.Count;
        Assert.True(parked > 1, $"only {parked} request(s) waited for the circuit");

        // The host is back: the probe goes at the probe time and is held; the others ask while it is out.
        Volatile.Write(ref hostBack, true);
        await AdvanceUntilAsync(time, () => Volatile.Read(ref sentWhileBack) == 1);
        await AdvanceUntilAsync(time, () => false, TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, Volatile.Read(ref sentWhileBack));
        Assert.Equal(parked - 1, engine.GetProgress().WaitingForHost);

        // The probe is answered: the circuit closes, and every parked request goes at once, with the clock standing still.
        release.SetResult();
        await WaitUntilAsync(() => results.Count == 8);

        Assert.Equal(HostCircuitState.Closed, CircuitState(registry));
        Assert.Equal(parked, results.Count(static r => r.Outcome == BulkOutcome.Succeeded));
        await run;
    }

    private static HostCircuitState? CircuitState(HostRegistry registry) => registry.GetSnapshot(Host)?.CircuitState;

    private static async Task CollectInto(IAsyncEnumerable<BulkResult> run, ConcurrentQueue<BulkResult> results)
    {
        await foreach (var result in run.ConfigureAwait(false))
        {
            results.Enqueue(result);
        }
    }

    /// <summary>Advances fake time in 50 ms steps, letting the workers run between steps, until the condition holds or the limit passes.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, TimeSpan? limit = null)
    {
        var step = TimeSpan.FromMilliseconds(50);
        var end = time.GetUtcNow() + (limit ?? TimeSpan.FromSeconds(10));
        while (!condition() && time.GetUtcNow() < end)
        {
            time.Advance(step);
            await Task.Delay(5);
        }
    }
}
