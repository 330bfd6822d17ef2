namespace Reprise.Scenarios.Scenarios;

/// <summary>The clients under test, by the name used on the command line and in the tables.</summary>
internal static class ClientNames
{
    public const string Bare = "bare-httpclient";
    public const string RepriseBulk = "reprise-bulk";
    public const string RepriseHandler = "reprise-handler";

    /// <summary>The bulk engine with host coordination off (the same concurrency): the per-request reference.</summary>
    public const string RepriseBulkOff = "reprise-bulk-off";

    /// <summary>The handler with host coordination off (the same concurrency): the per-request reference.</summary>
    public const string RepriseHandlerOff = "reprise-handler-off";
    public const string Standard = "standard-resilience";
    public const string Polly = "polly-retry";
    public const string Naive = "naive-loop";

    /// <summary>The built <c>reprise fetch</c> with its defaults, run as a process of its own.</summary>
    public const string Fetch = "reprise-fetch";

    /// <summary>The built <c>reprise fetch</c> with its defaults and <c>--per-host 64</c>.</summary>
    public const string FetchPerHost64 = "reprise-fetch-64";

    /// <summary>Gets every client, in table order.</summary>
    public static IReadOnlyList<string> All { get; } = [Bare, RepriseBulk, RepriseHandler, RepriseBulkOff, RepriseHandlerOff, Standard, Polly, Naive, Fetch, FetchPerHost64];

    /// <summary>Gets the clients of the no-regret table: Reprise with coordination on and off, Polly's retry and the naive loop.</summary>
    public static IReadOnlyList<string> NoRegret { get; } = [RepriseBulk, RepriseHandler, RepriseBulkOff, RepriseHandlerOff, Polly, Naive];

    /// <summary>Gets whether the client is the built CLI, run by the parent rather than in a child of this program.</summary>
    public static bool IsCli(string client) => client is Fetch or FetchPerHost64;
}
