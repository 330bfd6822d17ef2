using Reprise.Transport;

namespace Reprise.Cli.Get;

/// <summary>
/// <c>get -v</c>'s redirect lines: sits between <see cref="RepriseHandler"/> and <see cref="RepriseTransportHandler"/>
/// and prints the hops each attempt followed as soon as the attempt has them, before its attempt line. A redirect that
/// was refused (too many, a loop, https to http) still shows the hops that came before it.
/// </summary>
internal sealed class RedirectLog : DelegatingHandler
{
    private readonly VerboseLog _verbose;
    private readonly bool _showQuery;

    public RedirectLog(RepriseTransportHandler transport, VerboseLog verbose, bool showQuery)
        : base(transport)
    {
        _verbose = verbose;
        _showQuery = showQuery;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RepriseRedirectException ex)
        {
            _verbose.WriteRedirects(ex.Hops, _showQuery);
            throw;
        }

        _verbose.WriteRedirects(response.GetRedirectHops(), _showQuery);
        return response;
    }
}
