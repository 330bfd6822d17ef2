using System.Globalization;
using Microsoft.AspNetCore.Http;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Faults;

/// <summary>Writes a <c>Retry-After</c> header and tells when the wait it states is over.</summary>
internal static class RetryAfterHeader
{
    /// <summary>Writes the header (and, for an HTTP-date, a matching <c>Date</c>) and returns when the wait ends, in UTC ticks.</summary>
    public static long Write(HttpResponse response, int seconds, RetryAfterFormat format, DateTimeOffset now)
    {
        if (format == RetryAfterFormat.Delta)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return now.UtcTicks + (seconds * TimeSpan.TicksPerSecond);
        }

        // HTTP-dates have whole seconds: truncate "now" so that Retry-After minus Date is exactly the configured wait,
        // and count as early only what arrives before the instant the date names.
        var date = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var due = date.AddSeconds(seconds);
        response.Headers.Date = date.ToString("r", CultureInfo.InvariantCulture);
        response.Headers.RetryAfter = due.ToString("r", CultureInfo.InvariantCulture);
        return due.UtcTicks;
    }
}
