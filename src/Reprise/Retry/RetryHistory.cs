namespace Reprise.Retry;

/// <summary>
/// Every attempt of one request and why it stopped. Read it with
/// <see cref="RetryHistoryExtensions.GetRetryHistory(HttpResponseMessage)"/> or from
/// <see cref="RepriseRequestException.History"/>.
/// </summary>
public sealed class RetryHistory
{
    internal static readonly HttpRequestOptionsKey<RetryHistory> OptionsKey = new("Reprise.RetryHistory");

    private readonly List<AttemptRecord> _attempts = new(capacity: 1);

    internal RetryHistory()
    {
    }

    /// <summary>Gets the attempts in the order they were made.</summary>
    public IReadOnlyList<AttemptRecord> Attempts => _attempts;

    /// <summary>Gets why no further attempt was made.</summary>
    public RetryStopReason StopReason { get; internal set; }

    /// <summary>Gets the time from the start of the first attempt (host waits included) to the end of the last.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Gets the last attempt, or null when none finished.</summary>
    public AttemptRecord? LastAttempt => _attempts.Count == 0 ? null : _attempts[^1];

    /// <inheritdoc/>
    public override string ToString() => $"{StopReason} after {_attempts.Count} attempt(s): {string.Join("; ", _attempts)}";

    internal void Add(AttemptRecord attempt) => _attempts.Add(attempt);
}
