namespace Reprise.Retry;

/// <summary>
/// Every attempt of one request and why it stopped. Read it with
/// <see cref="RetryHistoryExtensions.GetRetryHistory(HttpResponseMessage)"/> or from
/// <see cref="RepriseRequestException.History"/>.
/// </summary>
public sealed class RetryHistory
{
    internal static readonly HttpRequestOptionsKey<RetryHistory> OptionsKey = new("Reprise.RetryHistory");

    // Most requests make one attempt: it is held alone, and the list is made on a second attempt or on first reading.
    private AttemptRecord? _first;
    private List<AttemptRecord>? _attempts;

    internal RetryHistory()
    {
    }

    /// <summary>Gets the attempts in the order they were made.</summary>
    public IReadOnlyList<AttemptRecord> Attempts => _attempts ??= _first is null ? [] : [_first];

    /// <summary>Gets why no further attempt was made.</summary>
    public RetryStopReason StopReason { get; internal set; }

    /// <summary>Gets the time from the start of the first attempt (host waits included) to the end of the last.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Gets the last attempt, or null when none finished.</summary>
    public AttemptRecord? LastAttempt => _attempts is { Count: > 0 } attempts ? attempts[^1] : _first;

    /// <summary>Gets the number of attempts, without making the list.</summary>
    internal int Count => _attempts?.Count ?? (_first is null ? 0 : 1);

    /// <inheritdoc/>
    public override string ToString() => $"{StopReason} after {Count} attempt(s): {string.Join("; ", Attempts)}";

    internal void Add(AttemptRecord attempt)
    {
        if (_attempts is null && _first is null)
        {
            _first = attempt;
        }
        else
        {
            // Room for the usual few retries at once.
            (_attempts ??= new List<AttemptRecord>(capacity: 4) { _first! }).Add(attempt);
        }
    }
}
