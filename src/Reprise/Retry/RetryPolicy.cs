using System.Diagnostics;
using Reprise.Backoff;
using Reprise.Timing;

namespace Reprise.Retry;

/// <summary>What to do after an attempt: stop (with the reason) or wait and retry.</summary>
internal readonly record struct RetryDecision(RetryStopReason Stop, TimeSpan Delay, RetryWaitSource Source)
{
    public bool ShouldRetry => Stop == RetryStopReason.None;

    public static RetryDecision StopWith(RetryStopReason reason) => new(reason, TimeSpan.Zero, RetryWaitSource.None);
}

/// <summary>
/// The retry rules of one set of options: classify an attempt's outcome, then decide whether and when to retry.
/// Shared by the handler and the bulk engine so that both retry alike.
/// </summary>
internal sealed class RetryPolicy
{
    /// <summary>The header that makes a request safe to retry whatever its method.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly Func<double> _random;

    public RetryPolicy(RepriseOptions options, TimeProvider timeProvider)
    {
        RepriseOptionsValidator.ThrowIfInvalid(options);
        Options = options;
        TimeProvider = timeProvider;
        _random = options.Randomizer ?? Random.Shared.NextDouble;
    }

    public RepriseOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Classifies an attempt that produced a response or an error.</summary>
    public AttemptVerdict Classify(HttpRequestMessage request, int attempt, HttpResponseMessage? response, Exception? error)
    {
        Debug.Assert(response is not null ^ error is not null, "An attempt ends with a response or an error.");
        var arguments = new RetryPredicateArguments(request, attempt, response, error);
        return response is not null
            ? AttemptClassifier.ClassifyResponse(response, Options, arguments)
            : AttemptClassifier.ClassifyException(error!, Options, arguments);
    }

    /// <summary>Reads the wait a response asks for, uncapped; null when it asks for none that can be trusted.</summary>
    public TimeSpan? ReadRetryAfter(HttpResponseMessage? response)
        => response is null ? null : RetryAfterParser.Parse(response.Headers, TimeProvider.GetUtcNow());

    /// <summary>Caps a server-requested wait for the host's shared state.</summary>
    public TimeSpan? CapRetryAfter(TimeSpan? retryAfter)
        => ServerWait.Of(retryAfter, Options.MaxRetryAfter, ServerWait.NoLimit).ForHost;

    /// <summary>Decides whether attempt number <paramref name="attempt"/> is followed by another, and after what wait.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="hasIdempotencyKey">Whether the request carries an <c>Idempotency-Key</c> header.</param>
    /// <param name="attempt">The attempt that just ended, 1-based.</param>
    /// <param name="verdict">Its classification.</param>
    /// <param name="bodyReplayable">Whether the body can be sent again.</param>
    /// <param name="retryAfter">The wait the server asked for, uncapped.</param>
    /// <param name="previousDelay">The wait before this attempt (decorrelated jitter).</param>
    /// <param name="elapsed">Time spent on the request so far.</param>
    public RetryDecision Decide(
        HttpMethod method, bool hasIdempotencyKey, int attempt, in AttemptVerdict verdict, bool bodyReplayable, TimeSpan? retryAfter, TimeSpan previousDelay, TimeSpan elapsed)
    {
        if (!verdict.Retryable)
        {
            return RetryDecision.StopWith(verdict.ErrorType is null ? RetryStopReason.Completed : RetryStopReason.NonRetryableError);
        }

        if (attempt >= Options.MaxAttempts)
        {
            return RetryDecision.StopWith(RetryStopReason.AttemptsExhausted);
        }

        if (!bodyReplayable)
        {
            return RetryDecision.StopWith(RetryStopReason.BodyNotReplayable);
        }

        if (!AttemptClassifier.IsIdempotent(method) && !Options.RetryNonIdempotentMethods && !hasIdempotencyKey && !verdict.NeverSent)
        {
            return RetryDecision.StopWith(RetryStopReason.MethodNotIdempotent);
        }

        if (ServerWait.Of(retryAfter, Options.MaxRetryAfter, ServerWait.NoLimit).EndsRequest)
        {
            return RetryDecision.StopWith(RetryStopReason.RetryAfterTooLong);
        }

        var (delay, source) = retryAfter is { } asked
            ? (asked, RetryWaitSource.RetryAfter)
            : (BackoffCalculator.Compute(Options.BackoffType, attempt, Options.BaseDelay, Options.MaxDelay, previousDelay, _random), RetryWaitSource.Backoff);

        if (RequestDeadline.Reaches(delay, RequestDeadline.Remaining(Options.Deadline, elapsed)))
        {
            return RetryDecision.StopWith(RetryStopReason.DeadlineExceeded);
        }

        return new RetryDecision(RetryStopReason.None, delay, source);
    }
}
