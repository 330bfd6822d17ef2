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

    public required RepriseOptions Retry { get; init; }

    /// <summary>Gets the host state shared with other processes (<c>--redis</c>), or null to keep it in this process.</summary>
    public Reprise.Hosts.ISharedHostState? SharedState { get; init; }
}
