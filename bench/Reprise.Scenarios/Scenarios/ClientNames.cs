namespace Reprise.Scenarios.Scenarios;

/// <summary>The clients under test, by the name used on the command line and in the tables.</summary>
internal static class ClientNames
{
    public const string Bare = "bare-httpclient";
    public const string RepriseBulk = "reprise-bulk";
    public const string RepriseHandler = "reprise-handler";
    public const string Standard = "standard-resilience";
    public const string Polly = "polly-retry";
    public const string Naive = "naive-loop";

    /// <summary>Gets every client, in table order.</summary>
    public static IReadOnlyList<string> All { get; } = [Bare, RepriseBulk, RepriseHandler, Standard, Polly, Naive];
}
