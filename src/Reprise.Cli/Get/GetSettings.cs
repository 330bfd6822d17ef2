using Reprise.Transport;

namespace Reprise.Cli.Get;

/// <summary>What <c>reprise get</c> was asked to do, parsed and checked.</summary>
internal sealed class GetSettings
{
    public required Uri Url { get; init; }

    public required HttpMethod Method { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Gets the <c>-d/--data</c> value as given: text, <c>@file</c>, or <c>@-</c> for stdin; null for no body.</summary>
    public string? Data { get; init; }

    /// <summary>Gets the file the body goes to, or null for stdout.</summary>
    public string? OutputPath { get; init; }

    public bool Verbose { get; init; }

    /// <summary>Gets how <see cref="Data"/> is read: <c>-d</c>, <c>--data-binary</c> or <c>--json</c>.</summary>
    public DataKind DataKind { get; init; }

    /// <summary>Gets whether the status line and the response headers go to stdout before the body (<c>-i</c>, <c>-I</c>).</summary>
    public bool Include { get; init; }

    /// <summary>Gets <c>-u user:password</c>, sent as Basic authentication, or null.</summary>
    public string? User { get; init; }

    /// <summary>Gets whether TLS certificates are not checked (<c>-k</c>).</summary>
    public bool Insecure { get; init; }

    /// <summary>Gets the limit of opening a connection (<c>--connect-timeout</c>), or null for the attempt's limit alone.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Gets the <c>-w</c> template, or null.</summary>
    public string? WriteOut { get; init; }

    public required RepriseOptions Retry { get; init; }

    public RedirectOptions Redirects { get; init; } = new();

    /// <summary>Gets the most body bytes written (<c>--max-filesize</c>), counted after decompression.</summary>
    public long MaxFileSize { get; init; } = Commands.BodyLimitCliOption.GetDefault;

    /// <summary>Gets whether <c>-v</c> shows query values (<c>--show-query</c>); masked otherwise, as tokens live there.</summary>
    public bool ShowQuery { get; init; }

    /// <summary>Gets or sets the host state shared with other processes (<c>--redis</c>, set once connected), or null to keep it in this process.</summary>
    public Reprise.Hosts.ISharedHostState? SharedState { get; set; }
}
