namespace Reprise.Scenarios.Clients;

/// <summary>
/// An <see cref="HttpClient"/> (bare or with a retrying handler) driven by <see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>
/// at the run's global concurrency, the way most applications send many requests.
/// </summary>
internal sealed class ParallelHttpClient : ScenarioClient
{
    private readonly HttpClient _client;
    private readonly int _concurrency;
    private readonly IDisposable? _owner;

    public ParallelHttpClient(HttpMessageHandler handler, TimeSpan timeout, int concurrency, IDisposable? owner = null)
    {
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
        _concurrency = concurrency;
        _owner = owner;
    }

    public override Task RunAsync(IEnumerable<string> urls, Tally tally, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = _concurrency, CancellationToken = cancellationToken };
        return Parallel.ForEachAsync(urls, options, async (url, token) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                tally.Status(await ReadAsync(await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token), token));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                tally.Error(ex);
            }

            tally.Took(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        });
    }

    public override ValueTask DisposeAsync()
    {
        _client.Dispose();
        _owner?.Dispose();
        return ValueTask.CompletedTask;
    }
}
