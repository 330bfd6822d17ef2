namespace Reprise.Scenarios.Clients;

/// <summary>A client under test: sends every URL once (retrying as it sees fit) and records one result per URL.</summary>
internal abstract class ScenarioClient : IAsyncDisposable
{
    public abstract Task RunAsync(IEnumerable<string> urls, Tally tally, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>Reads a response's body to its end and drops it, as every client does with every response.</summary>
    protected static async Task<int> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            await response.Content.CopyToAsync(Stream.Null, cancellationToken);
            return (int)response.StatusCode;
        }
    }
}
