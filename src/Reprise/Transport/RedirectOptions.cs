using System.ComponentModel.DataAnnotations;

namespace Reprise.Transport;

/// <summary>Options of <see cref="RepriseTransportHandler"/>: whether redirects are followed, how many, and what crosses origins.</summary>
public sealed class RedirectOptions
{
    /// <summary>
    /// Gets or sets whether redirects (301, 302, 303, 307, 308 with a <c>Location</c>) are followed. When off, a
    /// redirect is the answer, returned as it came.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Follow { get; set; } = true;

    /// <summary>
    /// Gets or sets the most redirects followed for one request. One more ends the request with
    /// <see cref="Retry.RetryStopReason.TooManyRedirects"/>.
    /// </summary>
    /// <value>The default value is 10. Allowed: 0 to 50.</value>
    [Range(0, RedirectDefaults.MaxRedirectsLimit)]
    public int MaxRedirects { get; set; } = RedirectDefaults.MaxRedirects;

    /// <summary>
    /// Gets or sets whether the request's headers (<c>Authorization</c>, <c>Cookie</c>, API keys...) are sent to
    /// another origin (scheme, host and port) a redirect leads to, as curl's <c>--location-trusted</c> does. When off,
    /// only headers that carry no secret (<c>Accept*</c>, <c>User-Agent</c>, <c>Cache-Control</c>, <c>Pragma</c>) and
    /// the body's own content headers cross.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool TrustOtherOrigins { get; set; }
}
