using System.Globalization;
using System.Net;
using Reprise.Responses;
using Reprise.Retry;

namespace Reprise.Transport;

/// <summary>
/// The bounds Reprise keeps between its retries and the transport. Follows redirects within bounds: at most <see cref="RedirectOptions.MaxRedirects"/>, never in a loop, never from
/// https to http, with the request's headers kept from other origins unless they are trusted. A redirect that cannot
/// be followed throws <see cref="RepriseRedirectException"/>, which is never retried; with following off the
/// redirect is the answer. Also sends a URL's user info as Basic authentication, to its own origin only, and refuses
/// a response whose <c>Content-Length</c> is negative or given twice with different values. Over a
/// <see cref="SocketsHttpHandler"/>, it bounds the pool's own re-sends of a request whose connection closed before
/// any answer to one (at most two sends of an attempt reach the server; docs/design.md).
/// </summary>
/// <remarks>
/// Put it under <see cref="RepriseHandler"/>, over the transport: <c>new RepriseHandler(new
/// RepriseTransportHandler(new SocketsHttpHandler(), new RedirectOptions()), options)</c>. Each attempt then follows
/// its own redirects, and a retried attempt starts from the request's own URL. An inner
/// <see cref="SocketsHttpHandler"/> or <see cref="HttpClientHandler"/> has its own following switched off here (and a
/// <see cref="SocketsHttpHandler"/> gets a plaintext stream filter that counts connections; an existing one still runs).
/// The hops are on the response: <see cref="RedirectHopsExtensions.GetRedirectHops"/>.
/// </remarks>
public sealed class RepriseTransportHandler : DelegatingHandler
{
    private readonly RedirectOptions _options;

    /// <summary>Initializes a new instance of the <see cref="RepriseTransportHandler"/> class.</summary>
    /// <param name="innerHandler">The handler that sends each request and hop.</param>
    /// <param name="options">The options; read once, here.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RedirectOptions.MaxRedirects"/> is out of range.</exception>
    public RepriseTransportHandler(HttpMessageHandler innerHandler, RedirectOptions options)
        : base(innerHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRedirects, "options.MaxRedirects");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxRedirects, RedirectDefaults.MaxRedirectsLimit, "options.MaxRedirects");
        _options = new RedirectOptions { Follow = options.Follow, MaxRedirects = options.MaxRedirects, TrustOtherOrigins = options.TrustOtherOrigins };
        switch (innerHandler)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                ResendGuard.Install(sockets);
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        UserInfoCredentials.Apply(request);
        var response = await SendCheckedAsync(request, cancellationToken).ConfigureAwait(false);
        if (!_options.Follow)
        {
            return response;
        }

        var origin = request.RequestUri!;
        var current = request;
        List<RedirectHop>? hops = null;
        HashSet<string>? visited = null;
        while (RedirectRules.IsRedirect(response.StatusCode) && RedirectRules.Target(current.RequestUri!, response.Headers.Location) is { } to)
        {
            hops ??= [];
            visited ??= [Key(request.Method, origin)];
            var status = response.StatusCode;
            var method = RedirectRules.RequiresGet(current.Method, status) ? HttpMethod.Get : current.Method;
            var refusal = RedirectRules.Refusal(current.RequestUri!, to, hops.Count, _options.MaxRedirects, !visited.Add(Key(method, to)));
            response.Dispose();
            if (refusal != RetryStopReason.None)
            {
                throw new RepriseRedirectException(Describe(refusal, status, current.RequestUri!, to), refusal, hops);
            }

            var crossed = !RedirectRules.SameOrigin(origin, to);
            hops.Add(new RedirectHop(status, current.RequestUri!, to, method, crossed));
            var next = CreateHop(request, current, to, method, keepAllHeaders: !crossed || _options.TrustOtherOrigins);
            Release(request, current);
            current = next;
            response = await SendCheckedAsync(current, cancellationToken).ConfigureAwait(false);
        }

        if (hops is not null)
        {
            RedirectHopsExtensions.SetRedirectHops(response, hops);
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            ContentLengthCheck.ThrowIfInvalid(response);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }

    private static string Key(HttpMethod method, Uri uri) => method.Method + " " + uri.AbsoluteUri;

    /// <summary>The next hop's message: the original's headers (all, or those that may cross) and options.</summary>
    private static HttpRequestMessage CreateHop(HttpRequestMessage original, HttpRequestMessage current, Uri to, HttpMethod method, bool keepAllHeaders)
    {
        var next = new HttpRequestMessage(method, to) { Version = original.Version, VersionPolicy = original.VersionPolicy };

        // 307 and 308 send the same body again; a body that can be read once fails that hop as a transport error.
        if (method == current.Method)
        {
            next.Content = current.Content;
        }

        foreach (var header in original.Headers.NonValidated)
        {
            if (keepAllHeaders || RedirectRules.CrossesOrigin(header.Key))
            {
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        foreach (var option in original.Options)
        {
            ((IDictionary<string, object?>)next.Options)[option.Key] = option.Value;
        }

        return next;
    }

    /// <summary>Disposes a hop's message, but never the caller's, nor a body the next hop sends again.</summary>
    private static void Release(HttpRequestMessage original, HttpRequestMessage hop)
    {
        if (!ReferenceEquals(original, hop))
        {
            hop.Content = null;
            hop.Dispose();
        }
    }

    private static string Describe(RetryStopReason refusal, HttpStatusCode status, Uri from, Uri to)
    {
        // The Location is the server's text: only its scheme, authority and path are shown, never a query.
        var where = to.Scheme is "http" or "https" ? to.GetLeftPart(UriPartial.Path) : to.Scheme + ":";
        var code = ((int)status).ToString(CultureInfo.InvariantCulture);
        return refusal switch
        {
            RetryStopReason.TooManyRedirects => $"Too many redirects: the {code} from {from.GetLeftPart(UriPartial.Path)} to {where} would be one more than allowed.",
            RetryStopReason.RedirectLoop => $"A redirect loop: the {code} from {from.GetLeftPart(UriPartial.Path)} leads back to {where}.",
            _ when to.Scheme == Uri.UriSchemeHttp => $"A redirect not followed: the {code} from {from.GetLeftPart(UriPartial.Path)} leads from https to http ({where}).",
            _ => $"A redirect not followed: the {code} from {from.GetLeftPart(UriPartial.Path)} leads to a {to.Scheme} URL, not http or https.",
        };
    }
}
