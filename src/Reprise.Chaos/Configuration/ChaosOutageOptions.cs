namespace Reprise.Chaos.Configuration;

/// <summary>An outage window of a route, or of every route of a host: a fixed status for a while, then healthy.</summary>
public sealed class ChaosOutageOptions
{
    /// <summary>Gets or sets how long the outage lasts, in milliseconds.</summary>
    /// <value>Required; more than 0.</value>
    public int DurationMs { get; set; }

    /// <summary>Gets or sets when the outage window starts.</summary>
    /// <value>The default value is <see cref="OutageStart.FirstRequest"/>.</value>
    public OutageStart Start { get; set; }

    /// <summary>Gets or sets the status answered during the outage.</summary>
    /// <value>The default value is 503.</value>
    public int Status { get; set; } = ChaosDefaults.OutageStatus;

    /// <summary>Gets or sets the <c>Retry-After</c> sent during the outage, in whole seconds, or <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>: no <c>Retry-After</c>.</value>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Gets or sets whether the <c>Retry-After</c> is sent as seconds or as an HTTP-date.</summary>
    /// <value>The default value is <see cref="RetryAfterFormat.Delta"/>.</value>
    public RetryAfterFormat RetryAfterFormat { get; set; }
}
