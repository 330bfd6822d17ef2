using System.Net;
using Reprise.Retry;

namespace Reprise.Transport;

/// <summary>The redirect decisions, each a pure function of the answer, the request and the options (RFC 9110 section 15.4).</summary>
internal static class RedirectRules
{
    /// <summary>Headers sent to another origin without trust: they carry no secret.</summary>
    private static readonly HashSet<string> SafeHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "User-Agent", "Cache-Control", "Pragma",
    };

    /// <summary>Whether a status asks the client to go elsewhere; 300, 304 and 305 do not ask for an automatic hop.</summary>
    public static bool IsRedirect(HttpStatusCode status)
        => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>The absolute URL a <c>Location</c> leads to, resolved against the URL that answered; null when there is none.</summary>
    public static Uri? Target(Uri from, Uri? location)
    {
        if (location is null)
        {
            return null;
        }

        if (!location.IsAbsoluteUri)
        {
            return Uri.TryCreate(from, location, out var resolved) ? resolved : null;
        }

        return location;
    }

    /// <summary>Why the hop from <paramref name="from"/> to <paramref name="to"/> must not be taken, or <see cref="RetryStopReason.None"/>.</summary>
    public static RetryStopReason Refusal(Uri from, Uri to, int redirectsSoFar, int maxRedirects, bool seenBefore)
    {
        if (to.Scheme != Uri.UriSchemeHttp && to.Scheme != Uri.UriSchemeHttps)
        {
            return RetryStopReason.InsecureRedirect;
        }

        if (from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp)
        {
            return RetryStopReason.InsecureRedirect;
        }

        if (seenBefore)
        {
            return RetryStopReason.RedirectLoop;
        }

        return redirectsSoFar >= maxRedirects ? RetryStopReason.TooManyRedirects : RetryStopReason.None;
    }

    /// <summary>
    /// Whether the next request is a GET without a body: always after 303 (but a HEAD stays a HEAD), and for a POST
    /// after 301 or 302, as every browser and curl do (RFC 9110 section 15.4.2 and 15.4.3 allow it). 307 and 308
    /// keep the method and the body.
    /// </summary>
    public static bool RequiresGet(HttpMethod method, HttpStatusCode status) => status switch
    {
        HttpStatusCode.SeeOther => method != HttpMethod.Head,
        HttpStatusCode.MovedPermanently or HttpStatusCode.Found => method == HttpMethod.Post,
        _ => false,
    };

    /// <summary>Whether two URLs share an origin: scheme, host and port.</summary>
    public static bool SameOrigin(Uri a, Uri b)
        => string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port;

    /// <summary>Whether a request header goes with a hop to another origin that is not trusted.</summary>
    public static bool CrossesOrigin(string headerName) => SafeHeaders.Contains(headerName);
}
