namespace Reprise.Cli.Fetch;

/// <summary>
/// Where every result line goes: the results file and the summary's counts, one line at a time. Results come from
/// the engine, and invalid input lines straight from the reader (they never reach the engine), on two tasks.
/// </summary>
internal sealed class ResultSink : IDisposable
{
    private readonly ResultWriter _writer;
    private readonly FetchSummary _summary;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _invalidLines;

    public ResultSink(ResultWriter writer, FetchSummary summary)
    {
        _writer = writer;
        _summary = summary;
    }

    /// <summary>Gets how many input lines were invalid before they reached the engine.</summary>
    public long InvalidLines => Interlocked.Read(ref _invalidLines);

    public async ValueTask WriteAsync(FetchResultLine line)
    {
        // Not cancellable: a line is written whole or not at all.
        await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await _writer.WriteAsync(line).ConfigureAwait(false);
            _summary.Add(line);
        }
        finally
        {
            _lock.Release();
        }
    }

    public ValueTask WriteInvalidAsync(FetchInputLine line)
    {
        Interlocked.Increment(ref _invalidLines);
        return WriteAsync(new FetchResultLine
        {
            Url = line.Url,
            Id = line.Id,
            Ok = false,
            Outcome = FetchOutcomes.InvalidInput,
            Stop = StopNames.InvalidInput,
            Error = line.Error,
        });
    }

    public void Dispose() => _lock.Dispose();
}
