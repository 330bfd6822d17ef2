namespace Reprise.Chaos.Configuration;

/// <summary>How a <c>Retry-After</c> header states its wait.</summary>
public enum RetryAfterFormat
{
    /// <summary>A number of seconds (<c>Retry-After: 2</c>). JSON: <c>"delta"</c>.</summary>
    Delta,

    /// <summary>
    /// An HTTP-date (<c>Retry-After: Tue, 03 Jun 2025 10:00:02 GMT</c>), sent with a <c>Date</c> header
    /// truncated to the whole second, so that the date minus <c>Date</c> is the configured number of seconds.
    /// JSON: <c>"httpDate"</c>.
    /// </summary>
    HttpDate,
}
