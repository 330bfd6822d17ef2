namespace Reprise.Cli.Fetch;

/// <summary>What <c>reprise fetch</c> was asked to do, parsed and checked.</summary>
internal sealed class FetchSettings
{
    /// <summary>Gets the input file, or <c>-</c> for stdin.</summary>
    public required string Input { get; init; }

    /// <summary>Gets the results file, or null for stdout.</summary>
    public string? OutputPath { get; init; }

    /// <summary>Gets the directory bodies are saved in, or null to discard them.</summary>
    public string? BodiesDirectory { get; init; }

    public bool Resume { get; init; }

    public int Concurrency { get; init; } = FetchDefaults.Concurrency;

    public int PerHost { get; init; } = FetchDefaults.PerHost;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Gets the headers every request carries unless it gives its own (<c>User-Agent</c>, <c>Accept</c>): the engine's <see cref="Bulk.BulkOptions.DefaultHeaders"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> DefaultHeaders { get; init; } = RequestDefaults.With([], userAgent: null);

    public required RepriseOptions Retry { get; init; }

    public Reprise.Transport.RedirectOptions Redirects { get; init; } = new();

    /// <summary>Gets the most body bytes read per response (<c>--max-filesize</c>), counted after decompression.</summary>
    public long MaxFileSize { get; init; } = Commands.BodyLimitCliOption.FetchDefault;
    /// <summary>Gets the host registry's options (<c>--no-coordination</c>, <c>--no-circuit-breaker</c>, <c>--rate</c>), or null for the defaults with <see cref="PerHost"/>.</summary>
    public Hosts.HostCoordinationOptions? Hosts { get; init; }

    /// <summary>Gets how often a progress line is written when stderr is not a terminal.</summary>
    public TimeSpan ProgressInterval { get; init; } = FetchDefaults.ProgressInterval;

    /// <summary>Gets the file the full per-host table goes to (<c>--host-table</c>), or null.</summary>
    public string? HostTablePath { get; init; }
    /// <summary>Gets the shard of the input this process takes (<c>--shard K/N</c>), or null for every line.</summary>
    public FetchShard? Shard { get; init; }

    /// <summary>Gets the host state shared with other processes (<c>--redis</c>), or null to keep it in this process.</summary>
    public Reprise.Hosts.ISharedHostState? SharedState { get; init; }

    /// <summary>Gets names to show for hosts in the summary, by scheme, host and port; the demo names its hosts.</summary>
    public IReadOnlyDictionary<string, string>? HostNames { get; init; }
}
