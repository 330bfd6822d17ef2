using System.Globalization;
using Reprise.Retry;

namespace Reprise.Bulk;

/// <summary>How a request's result is made: finished, cancelled, invalid, and the deadline's message.</summary>
internal sealed partial class BulkRun
{
    private string DeadlineMessage(BulkWorkItem item)
        => $"The request reached its deadline of {Seconds(_retry.Deadline)} s after {item.Attempts} attempt(s).";

    private BulkResult Cancelled(BulkWorkItem item)
        => Finish(item, BulkOutcome.Cancelled, RetryStopReason.Cancelled, "The run was cancelled.");

    private BulkResult Finish(BulkWorkItem item, BulkOutcome outcome, RetryStopReason stop, string? error, in BodyOutcome body = default)
    {
        item.History.StopReason = stop;
        item.History.Elapsed = _time.GetElapsedTime(item.Started);
        _telemetry.RequestEnded(item.Request.Method, item.Uri, item.History);
        var result = new BulkResult(item.Request, outcome, item.History, error)
        {
            Bytes = body.Bytes,
            BodyPath = body.Path,
            Body = body.Body,
        };
        return result;
    }

    private BulkResult Invalid(BulkRequest request, long started, string error)
    {
        var history = new RetryHistory { StopReason = RetryStopReason.NonRetryableError, Elapsed = _time.GetElapsedTime(started) };
        return new BulkResult(request, BulkOutcome.InvalidInput, history, error);
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
