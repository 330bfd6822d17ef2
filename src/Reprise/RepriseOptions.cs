using System.ComponentModel.DataAnnotations;
using Reprise.Backoff;
using Reprise.Retry;
using Reprise.Telemetry;

namespace Reprise;

/// <summary>Options of the Reprise retrying handler: what is retried, how often, how long to wait, and time limits.</summary>
public sealed class RepriseOptions
{
    /// <summary>Gets or sets the most attempts made for one request, the first try included.</summary>
    /// <value>The default value is 4 attempts. Allowed: 1 to 100.</value>
    [Range(1, RepriseDefaults.MaxAttemptsLimit)]
    public int MaxAttempts { get; set; } = RepriseDefaults.MaxAttempts;

    /// <summary>Gets or sets the response statuses that are retried; every other status is final.</summary>
    /// <value>The default value is <c>408,429,500,502-504</c>. A 404, 400, 401, 403, 501 or 505 is never retried by default.</value>
    [Required]
    public StatusCodeSet RetryOn { get; set; } = StatusCodeSet.Default;

    /// <summary>
    /// Gets or sets the caller's own retry rule. An attempt is retried when its status is in <see cref="RetryOn"/>,
    /// it failed on a transport error or timeout, or this predicate returns <see langword="true"/>.
    /// The caller's cancellation is never retried.
    /// </summary>
    /// <value>The default value is null.</value>
    public Func<RetryPredicateArguments, bool>? ShouldRetry { get; set; }

    /// <summary>Gets or sets how the wait grows between retries.</summary>
    /// <value>The default value is <see cref="BackoffType.ExponentialWithJitter"/> (full jitter).</value>
    [EnumDataType(typeof(BackoffType), ErrorMessage = RepriseDefaults.BackoffTypeMessage)]
    public BackoffType BackoffType { get; set; } = BackoffType.ExponentialWithJitter;

    /// <summary>Gets or sets the base of the backoff: the largest first wait with jitter, the first wait without.</summary>
    /// <value>The default value is 1 second. Allowed: 0 to <see cref="MaxDelay"/>.</value>
    [Range(typeof(TimeSpan), "00:00:00", RepriseDefaults.MaxTimeOptionText)]
    public TimeSpan BaseDelay { get; set; } = RepriseDefaults.BaseDelay;

    /// <summary>Gets or sets the cap of any one backoff wait.</summary>
    /// <value>The default value is 30 seconds. Allowed: <see cref="BaseDelay"/> to 1 day.</value>
    [Range(typeof(TimeSpan), "00:00:00", RepriseDefaults.MaxTimeOptionText)]
    public TimeSpan MaxDelay { get; set; } = RepriseDefaults.MaxDelay;

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> that is waited. A server asking for more ends the request at
    /// once with <see cref="RetryStopReason.RetryAfterTooLong"/>: a server must never hold a client without bound.
    /// </summary>
    /// <value>The default value is 60 seconds. Allowed: 0 to 1 day.</value>
    [Range(typeof(TimeSpan), "00:00:00", RepriseDefaults.MaxTimeOptionText)]
    public TimeSpan MaxRetryAfter { get; set; } = RepriseDefaults.MaxRetryAfter;

    /// <summary>
    /// Gets or sets the time limit of one attempt, to the response headers. A timed-out attempt is retried.
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    /// <value>The default value is 30 seconds. Allowed: more than 0 and at most 1 day, or infinite.</value>
    public TimeSpan AttemptTimeout { get; set; } = RepriseDefaults.AttemptTimeout;

    /// <summary>
    /// Gets or sets the time limit of the whole request, across every attempt and wait. No wait starts that would
    /// end past it. <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    /// <value>
    /// The default value is 90 seconds, below <see cref="HttpClient.Timeout"/>'s 100 seconds so that Reprise's
    /// deadline, with its reason, fires first. Allowed: more than 0 and at most 1 day, or infinite.
    /// </value>
    public TimeSpan Deadline { get; set; } = RepriseDefaults.Deadline;

    /// <summary>
    /// Gets or sets the largest request body buffered so it can be sent again. A larger body is sent once and not
    /// retried (<see cref="RetryStopReason.BodyNotReplayable"/>).
    /// </summary>
    /// <value>The default value is 1 MiB. Allowed: 0 to 2,147,483,590 bytes (just under 2 GiB).</value>
    [Range(0L, RepriseDefaults.MaxBufferSize)]
    public long MaxReplayableBodySize { get; set; } = RepriseDefaults.MaxReplayableBodySize;

    /// <summary>
    /// Gets or sets the largest response body read inside the attempt, when the response declares its length and
    /// its status is final. Reading it there makes a body cut short a transport failure that is retried, instead of
    /// an error the caller meets later while reading. Larger bodies, and bodies of unknown length, stream to the
    /// caller untouched. Zero turns buffering off.
    /// </summary>
    /// <value>The default value is 1 MiB. Allowed: 0 to 2,147,483,590 bytes (just under 2 GiB).</value>
    [Range(0L, RepriseDefaults.MaxBufferSize)]
    public long MaxBufferedResponseSize { get; set; } = RepriseDefaults.MaxBufferedResponseSize;

    /// <summary>
    /// Gets or sets whether POST and PATCH requests are retried like idempotent ones. Without it they are retried
    /// only when they carry an <c>Idempotency-Key</c> header or the failure proves they never left the machine
    /// (connection refused, DNS failure).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RetryNonIdempotentMethods { get; set; }

    /// <summary>
    /// Gets or sets the source of uniform random draws from [0, 1) used for jitter. Set it to pin the numbers in tests.
    /// </summary>
    /// <value>The default value is null: a thread-safe shared generator.</value>
    public Func<double>? Randomizer { get; set; }

    /// <summary>
    /// Gets or sets where Reprise's logs and metrics go and how much of a URL they may show. Header values and, unless
    /// <see cref="RepriseTelemetryOptions.IncludeUrlQuery"/> is set, query strings never appear.
    /// </summary>
    /// <value>The default value is options with no logger, the process-wide meter and URLs without query strings.</value>
    public RepriseTelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Copies the options, so that a handler keeps what it was built with (as <see cref="Hosts.HostRegistry"/> does).</summary>
    internal RepriseOptions Clone() => (RepriseOptions)MemberwiseClone();
}
