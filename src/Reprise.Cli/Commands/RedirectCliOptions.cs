using System.CommandLine;
using Reprise.Transport;

namespace Reprise.Cli.Commands;

/// <summary>The redirect options that <c>get</c> and <c>fetch</c> share: curl's names where the meaning is curl's.</summary>
internal sealed class RedirectCliOptions
{
    private const int MaxRedirectsLimit = 50;

    // The library's defaults, read from a fresh options object so the CLI never restates them.
    private static readonly RedirectOptions Defaults = new();

    public RedirectCliOptions()
    {
        MaxRedirects = RetryCliOptions.IntOption(
            "--max-redirects", $"Most redirects followed per request (0-{MaxRedirectsLimit}); one more fails it.", Defaults.MaxRedirects, 0, MaxRedirectsLimit);
        NoFollow = new Option<bool>("--no-follow")
        {
            Description = "Do not follow redirects: a 3xx is the answer.",
        };
        LocationTrusted = new Option<bool>("--location-trusted")
        {
            Description = "Send the request's headers (Authorization, Cookie, API keys) to another origin a redirect leads to.",
        };
    }

    public Option<int> MaxRedirects { get; }

    public Option<bool> NoFollow { get; }

    public Option<bool> LocationTrusted { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(MaxRedirects);
        command.Options.Add(NoFollow);
        command.Options.Add(LocationTrusted);
    }

    public RedirectOptions CreateOptions(ParseResult parseResult) => new()
    {
        Follow = !parseResult.GetValue(NoFollow),
        MaxRedirects = parseResult.GetValue(MaxRedirects),
        TrustOtherOrigins = parseResult.GetValue(LocationTrusted),
    };
}
