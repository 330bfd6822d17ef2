using System.Net.Http.Headers;

namespace Reprise.Backoff;

/// <summary>Reads the wait a server asked for in <c>Retry-After</c> (RFC 9110 section 10.2.3).</summary>
internal static class RetryAfterParser
{
    /// <summary>
    /// The date form has one-second resolution: a server that stamps <c>Date: 12:00:00</c> may really be at
    /// 12:00:00.999, and one that computes <c>Retry-After: 12:00:05</c> may have truncated 12:00:05.9. Waiting one
    /// more second than the difference of the two dates is never early.
    /// </summary>
    internal static readonly TimeSpan DateResolution = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Returns the wait the response asks for, or null when it asks for none we can trust (absent, malformed,
    /// negative, overflowing, or a date already past).
    /// </summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="now">The local time, used only when the response carries no <c>Date</c>.</param>
    /// <returns>The wait, or null to fall back to the backoff.</returns>
    public static TimeSpan? Parse(HttpResponseHeaders headers, DateTimeOffset now)
    {
        // Malformed values never throw here: HttpHeaders keeps what it cannot parse as invalid and the typed
        // property returns null, so a garbage, negative or overflowing value (which fails the int parse) falls back.
        RetryConditionHeaderValue? value;
        try
        {
            value = headers.RetryAfter;
        }
        catch (FormatException)
        {
            return null;
        }

        if (value is null)
        {
            return null;
        }

        if (value.Delta is { } delta)
        {
            return delta >= TimeSpan.Zero ? delta : null;
        }

        if (value.Date is { } date)
        {
            var reference = headers.Date ?? now;
            var wait = date - reference;
            return wait > TimeSpan.Zero ? wait + DateResolution : null;
        }

        return null;
    }
}
