using Reprise.Bench.Clients;
using Reprise.Bulk;
using Reprise.Scenarios.Scenarios;

namespace Reprise.Scenarios.Clients;

/// <summary>
/// Reprise's bulk engine: the URLs stream in as an <see cref="IAsyncEnumerable{T}"/>, the engine holds the global
/// concurrency and each host's shared state, and one result streams out per URL. Bodies are read and dropped
/// (<see cref="BulkBodyHandling.Discard"/>), as every other client does.
/// </summary>
internal sealed class BulkEngineClient : ScenarioClient
{
    private readonly BulkEngine _engine;

    public BulkEngineClient(RunProfile profile)
    {
        _engine = new BulkEngine(new BulkOptions
        {
            Retry = PeerHandlers.CreateRepriseOptions(profile.Retry),
            MaxConcurrency = profile.Concurrency,
            BodyHandling = BulkBodyHandling.Discard,
        });
    }

    public override async Task RunAsync(IEnumerable<string> urls, Tally tally, CancellationToken cancellationToken)
    {
        await foreach (var result in _engine.RunAsync(urls.Select(static u => new BulkRequest(u)).ToAsyncEnumerable(), cancellationToken))
        {
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
