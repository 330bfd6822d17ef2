using System.Net;
using Reprise.Retry;

namespace Reprise.Bulk;

/// <summary>The result of one request of a bulk run. Every input yields exactly one.</summary>
public sealed class BulkResult
{
    internal BulkResult(BulkRequest request, BulkOutcome outcome, RetryHistory history, string? error)
    {
        Url = request.Url;
        Id = request.Id;
        Outcome = outcome;
        History = history;
        Error = error;
    }

    /// <summary>Gets the URL as the caller gave it.</summary>
    public string Url { get; }

    /// <summary>Gets the caller's id of the request, or null.</summary>
    public string? Id { get; }

    /// <summary>Gets how the request ended.</summary>
    public BulkOutcome Outcome { get; }

    /// <summary>Gets whether the request succeeded.</summary>
    public bool IsSuccess => Outcome == BulkOutcome.Succeeded;

    /// <summary>Gets the status of the last response, or null when no attempt got one.</summary>
    public HttpStatusCode? StatusCode => History.LastAttempt?.StatusCode;

    /// <summary>Gets how many attempts were made (zero for invalid input, or a request cancelled before its first).</summary>
    public int Attempts => History.Count;

    /// <summary>Gets every attempt, its status or error and the wait that followed it.</summary>
    public RetryHistory History { get; }

    /// <summary>Gets why no further attempt was made.</summary>
    public RetryStopReason StopReason => History.StopReason;

    /// <summary>Gets what went wrong, in one line, or null when the request succeeded.</summary>
    public string? Error { get; }

    /// <summary>Gets the time from when the engine read the request to its result: waits, attempts and the body.</summary>
    public TimeSpan Elapsed => History.Elapsed;

    /// <summary>Gets how many bytes of the final response's body were read (after decompression).</summary>
    public long Bytes { get; internal init; }

    /// <summary>Gets where the body went (the sink's path), or null when it was not sent to a sink.</summary>
    public string? BodyPath { get; internal init; }

    /// <summary>Gets the body kept in memory (<see cref="BulkBodyHandling.Memory"/>), or null.</summary>
    public ReadOnlyMemory<byte>? Body { get; internal init; }

    /// <inheritdoc/>
    public override string ToString()
        => Error is null ? $"{Outcome} {Url}: {(int?)StatusCode} after {Attempts} attempt(s)" : $"{Outcome} {Url}: {Error}";
}
