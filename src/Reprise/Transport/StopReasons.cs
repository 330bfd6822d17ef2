using Reprise.Responses;
using Reprise.Retry;

namespace Reprise.Transport;

/// <summary>The stop reason of an error that carries its own: a redirect not followed, a body too large.</summary>
internal static class StopReasons
{
    /// <summary>Refines <see cref="RetryStopReason.NonRetryableError"/> by the error that caused it; any other reason stays.</summary>
    public static RetryStopReason Refine(RetryStopReason stop, Exception? error) => stop != RetryStopReason.NonRetryableError ? stop : error switch
    {
        RepriseRedirectException redirect => redirect.StopReason,
        ResponseBodyTooLargeException => RetryStopReason.BodyTooLarge,
        _ => stop,
    };
}
