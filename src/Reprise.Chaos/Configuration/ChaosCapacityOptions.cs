namespace Reprise.Chaos.Configuration;

/// <summary>
/// A host's capacity: at most <see cref="Limit"/> requests in service at once, each held for
/// <see cref="ServiceMs"/>; an arrival that finds every place taken is answered <see cref="Status"/> at once,
/// as an overloaded server's front end does.
/// </summary>
public sealed class ChaosCapacityOptions
{
    /// <summary>Gets or sets how many requests the host serves at once.</summary>
    /// <value>Required; at least 1.</value>
    public int Limit { get; set; }

    /// <summary>
    /// Gets or sets how long each admitted request holds its place before the route answers it, in milliseconds.
    /// The route's own latency, hang or body comes after it, and the place is held until the answer ends.
    /// </summary>
    /// <value>The default value is 0.</value>
    public int ServiceMs { get; set; }

    /// <summary>Gets or sets the status answered at once to an arrival beyond the limit.</summary>
    /// <value>The default value is 503.</value>
    public int Status { get; set; } = ChaosDefaults.OverloadStatus;

    /// <summary>Gets or sets the <c>Retry-After</c> sent with that status, in whole seconds, or <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>: no <c>Retry-After</c>.</value>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Gets or sets whether the <c>Retry-After</c> is sent as seconds or as an HTTP-date.</summary>
    /// <value>The default value is <see cref="RetryAfterFormat.Delta"/>.</value>
    public RetryAfterFormat RetryAfterFormat { get; set; }
}
