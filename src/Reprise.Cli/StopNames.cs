using System.Text;
using Reprise.Retry;

namespace Reprise.Cli;

/// <summary>
/// The names of why a request stopped, as the <c>stop</c> field of a result line and <c>get</c>'s messages show them;
/// docs/cli.md lists them. One function, so that the two never disagree.
/// </summary>
internal static class StopNames
{
    /// <summary>The last response had a status that is not retried: a success, a 3xx, or a final error such as 404.</summary>
    public const string FinalStatus = "final_status";

    /// <summary>The input line is not a request.</summary>
    public const string InvalidInput = "invalid_input";

    public static string For(RetryStopReason reason) => reason switch
    {
        RetryStopReason.Completed => FinalStatus,
        RetryStopReason.AttemptsExhausted => "attempts_exhausted",
        RetryStopReason.DeadlineExceeded => "deadline",
        RetryStopReason.RetryAfterTooLong => "retry_after_too_long",
        RetryStopReason.BodyNotReplayable => "body_not_replayable",
        RetryStopReason.MethodNotIdempotent => "not_idempotent",
        RetryStopReason.RetryBudgetExhausted => "retry_budget",
        RetryStopReason.CircuitOpen => "circuit_open",
        RetryStopReason.NonRetryableError => "non_retryable_error",
        RetryStopReason.Cancelled => "cancelled",
        RetryStopReason.None => "none",

        // Reasons added to the library later (too many redirects, a body too large...) keep their own name, in snake case.
        _ => SnakeCase(reason.ToString()),
    };

    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
