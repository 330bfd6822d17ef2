using Microsoft.Extensions.Time.Testing;
using Reprise.Bulk;
using Reprise.Hosts;

namespace Reprise.Tests.Bulk;

internal static class BulkTestSupport
{
    /// <summary>
    /// How long a test waits for something that must happen before it calls the engine broken. A guard against a
    /// hang, not a timing assertion: every wait it guards ends in microseconds when the engine is right.
    /// </summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(1);

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Retry options without backoff waits, so logic tests never need the clock.</summary>
    public static BulkOptions Options(Action<BulkOptions>? configure = null)
    {
        var options = new BulkOptions
        {
            MaxConcurrency = 4,
            MaxPendingRequests = 16,
            Retry = new RepriseOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, Randomizer = () => 0.5 },
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>
    /// An engine for the retry and scheduling logic, with host coordination off so that one request's 429 or 503 does
    /// not pause the others; the tests of host interplay build theirs with the defaults.
    /// </summary>
    public static BulkEngine Engine(HttpMessageHandler handler, TimeProvider time, Action<BulkOptions>? configure = null)
        => new(handler, Options(configure), new HostRegistry(HostCoordinationOptions.Disabled, time), time);

    public static async IAsyncEnumerable<BulkRequest> Urls(params string[] urls)
    {
        foreach (var url in urls)
        {
            await Task.CompletedTask;
            yield return new BulkRequest(url) { Id = url };
        }
    }

    public static async IAsyncEnumerable<BulkRequest> AsAsync(this IEnumerable<BulkRequest> requests)
    {
        foreach (var request in requests)
        {
            await Task.CompletedTask;
            yield return request;
        }
    }

    public static Task<List<BulkResult>> CollectAsync(this IAsyncEnumerable<BulkResult> results, CancellationToken cancellationToken = default)
        => CollectCoreAsync(results, cancellationToken).WaitAsync(HangGuard);

    /// <summary>Takes the next result, failing the test rather than hanging when none comes.</summary>
    public static async Task<BulkResult> NextAsync(this IAsyncEnumerator<BulkResult> results)
    {
        Assert.True(await results.MoveNextAsync().AsTask().WaitAsync(HangGuard), "The run ended before the expected result.");
        return results.Current;
    }

    /// <summary>Polls a condition the engine reaches on its own threads; the guard fails the test instead of a hang.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        var guard = Task.Delay(HangGuard);
        while (!condition())
        {
            Assert.False(guard.IsCompleted, "The engine never reached the expected state.");
            await Task.Delay(1);
        }
    }

    private static async Task<List<BulkResult>> CollectCoreAsync(IAsyncEnumerable<BulkResult> results, CancellationToken cancellationToken)
    {
        var list = new List<BulkResult>();
        await foreach (var result in results.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(result);
        }

        return list;
    }
}
