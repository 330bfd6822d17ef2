namespace Reprise.Chaos.Configuration;

/// <summary>A <c>Retry-After</c> header on chosen responses of a route.</summary>
public sealed class ChaosRetryAfterOptions
{
    /// <summary>Gets or sets the wait the header states, in whole seconds.</summary>
    /// <value>The default value is 1 second. Zero or more.</value>
    public int Seconds { get; set; } = ChaosDefaults.RetryAfterSeconds;

    /// <summary>Gets or sets whether the wait is sent as seconds or as an HTTP-date.</summary>
    /// <value>The default value is <see cref="RetryAfterFormat.Delta"/>.</value>
    public RetryAfterFormat Format { get; set; }

    /// <summary>Gets or sets the statuses that carry the header.</summary>
    /// <value>The default value is empty: every response with a status of 400 or more carries it.</value>
    public IList<int> Statuses { get; set; } = [];
}
