using System.Collections.Concurrent;
using System.Diagnostics;
using Reprise.Bench.Clients;
using Reprise.Bulk;
using Reprise.Hosts;

namespace Reprise.Scenarios.Clients;

/// <summary>
/// Reprise's bulk engine: the URLs stream in as an <see cref="IAsyncEnumerable{T}"/>, the engine holds the global
/// concurrency and each host's shared state, and one result streams out per URL. Bodies are read and dropped
/// (<see cref="BulkBodyHandling.Discard"/>), as every other client does.
/// </summary>
internal sealed class BulkEngineClient : ScenarioClient
{
    private readonly BulkEngine _engine;

    public BulkEngineClient(RetrySettings retry, int concurrency, HostCoordinationOptions hosts)
    {
        _engine = new BulkEngine(
            new BulkOptions
            {
                Retry = PeerHandlers.CreateRepriseOptions(retry),
                MaxConcurrency = concurrency,
                BodyHandling = BulkBodyHandling.Discard,
            },
            new HostRegistry(hosts));
    }

    public override async Task RunAsync(IEnumerable<string> urls, Tally tally, CancellationToken cancellationToken)
    {
        // A URL's time runs from when the engine takes it from the stream (it reads only a few ahead of its workers).
        var taken = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var requests = urls.Select(u =>
        {
            taken[u] = Stopwatch.GetTimestamp();
            return new BulkRequest(u);
        });
        await foreach (var result in _engine.RunAsync(requests.ToAsyncEnumerable(), cancellationToken))
        {
            if (taken.TryRemove(result.Url, out var started))
            {
                tally.Took(Stopwatch.GetElapsedTime(started));
            }

            // As with HttpClient, a final status is the answer even after the attempts ran out (a last 429 or 503).
            if (result.StatusCode is { } status)
            {
                tally.Status((int)status);
            }
            else
            {
                tally.Failure(result.StopReason.ToString());
            }
        }
    }

    public override ValueTask DisposeAsync()
    {
        _engine.Dispose();
        return ValueTask.CompletedTask;
    }
}
