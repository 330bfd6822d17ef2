using System.Net;

namespace Reprise.Transport;

/// <summary>One redirect that was followed: the answer that asked for it and where it led.</summary>
public sealed class RedirectHop
{
    internal RedirectHop(HttpStatusCode statusCode, Uri from, Uri to, HttpMethod method, bool crossedOrigin)
    {
        StatusCode = statusCode;
        From = from;
        To = to;
        Method = method;
        CrossedOrigin = crossedOrigin;
    }

    /// <summary>Gets the redirect's status (301, 302, 303, 307 or 308).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets the URL that answered with the redirect.</summary>
    public Uri From { get; }

    /// <summary>Gets the URL the redirect led to.</summary>
    public Uri To { get; }

    /// <summary>Gets the method sent to <see cref="To"/>: GET after a 303, or after a 301 or 302 to a POST.</summary>
    public HttpMethod Method { get; }

    /// <summary>Gets whether <see cref="To"/> is of another origin than the request's own URL (then its headers were kept back unless trusted).</summary>
    public bool CrossedOrigin { get; }
}
