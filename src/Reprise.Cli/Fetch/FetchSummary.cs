namespace Reprise.Cli.Fetch;

/// <summary>The counts shown at the end of <c>reprise fetch</c> and <c>reprise demo</c>, built from the lines written.</summary>
internal sealed class FetchSummary
{
    private readonly Dictionary<string, HostRow> _hosts = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, long> _statuses = [];
    private readonly IReadOnlyDictionary<string, string>? _hostNames;

    public FetchSummary(IReadOnlyDictionary<string, string>? hostNames = null)
    {
        _hostNames = hostNames;
    }

    /// <summary>Gets what the client did to each host: pauses, the breaker, limits.</summary>
    public HostActivity Activity { get; init; } = new(TimeProvider.System, FetchDefaults.PerHost);

    /// <summary>Gets the cap of requests in flight per host (<c>--per-host</c>).</summary>
    public int PerHost { get; init; } = FetchDefaults.PerHost;
    /// <summary>Gets the shard this process took (<c>--shard K/N</c>), named in the summary; null for the whole input.</summary>
    public FetchShard? Shard { get; init; }

    public long Total { get; private set; }

    public long Succeeded { get; private set; }

    public long Failed { get; private set; }

    public long Invalid { get; private set; }

    /// <summary>Gets the inputs skipped because the results file already had their line (<c>--resume</c>).</summary>
    public long Skipped { get; set; }

    /// <summary>Gets the inputs that were interrupted and have no line (fetched again by <c>--resume</c>).</summary>
    public long Interrupted { get; set; }

    /// <summary>Gets how many requests needed more than one attempt.</summary>
    public long Retried { get; private set; }

    /// <summary>Gets the attempts of every request.</summary>
    public long Attempts { get; private set; }

    public long Bytes { get; private set; }

    public TimeSpan Elapsed { get; set; }

    public IReadOnlyDictionary<int, long> Statuses => _statuses;

    public IEnumerable<HostRow> Hosts => _hosts.Values.OrderBy(static h => h.Host, StringComparer.Ordinal);

    public void Add(FetchResultLine line)
    {
        Total++;
        Attempts += line.Attempts;
        Bytes += line.Bytes;
        if (line.Attempts > 1)
        {
            Retried++;
        }

        if (line.Status is { } status)
        {
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
        }

        switch (line.Outcome)
        {
            case FetchOutcomes.Succeeded:
                Succeeded++;
                break;
            case FetchOutcomes.InvalidInput:
                Invalid++;
                break;
            default:
                Failed++;
                break;
        }

        var (key, engineKey) = HostOf(line.Url);
        if (!_hosts.TryGetValue(key, out var row))
        {
            row = new HostRow(key, engineKey);
            _hosts.Add(key, row);
        }

        row.Requests++;
        row.Attempts += line.Attempts;
        if (line.Ok)
        {
            row.Succeeded++;
        }
        else
        {
            row.Failed++;
        }
    }

    private (string Shown, string? EngineKey) HostOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return ("(invalid)", null);
        }

        // Scheme, host and port: never the user info, which holds credentials.
        var host = $"{uri.Scheme}://{uri.Authority}";

        // The host registry names a host scheme://host:port, default port included.
        var engineKey = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}");
        return (_hostNames?.GetValueOrDefault(host) is { } name ? $"{name} ({host})" : host, engineKey);
    }

    /// <summary>The counts of one host (scheme, host and port).</summary>
    internal sealed class HostRow(string host, string? engineKey)
    {
        public string Host { get; } = host;

        /// <summary>Gets the host as the host registry names it, or null for invalid input.</summary>
        public string? EngineKey { get; } = engineKey;

        public long Requests { get; set; }

        public long Succeeded { get; set; }

        public long Failed { get; set; }

        public long Attempts { get; set; }
    }
}
