using Reprise.Chaos.Configuration;

namespace Reprise.Scenarios.Scenarios;

/// <summary>One scenario: a chaos host, how many URLs are sent to it, and what a correct final answer is.</summary>
internal sealed class ScenarioDefinition
{
    public required string Name { get; init; }

    /// <summary>Gets the one-line description printed above the scenario's rows.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the chaos host the scenario's URLs go to; each scenario has its own host, port and counters.</summary>
    public required ChaosHostOptions Host { get; init; }

    public required long UrlCount { get; init; }

    /// <summary>Gets a smaller count for the naive loop, which starts every request at once (one socket per URL).</summary>
    public long? NaiveUrlCount { get; init; }

    /// <summary>Gets the final status that counts as success: 200, or 404 in the not-found scenario.</summary>
    public int ExpectedStatus { get; init; } = 200;

    /// <summary>Gets the clients that run this scenario; all of them when null.</summary>
    public IReadOnlyList<string>? Clients { get; init; }

    /// <summary>Gets the path of URL number <c>i</c> (from 0), relative to the host's base address.</summary>
    public Func<long, string> PathOf { get; init; } = static i => $"items/{i}";

    public long UrlCountFor(string client) => client == ClientNames.Naive && NaiveUrlCount is { } n ? Math.Min(n, UrlCount) : UrlCount;

    public bool Runs(string client) => Clients is null || Clients.Contains(client);

    /// <summary>Enumerates the URLs lazily, so that a million of them never exist at once.</summary>
    public IEnumerable<string> Urls(Uri baseAddress, long count)
    {
        var prefix = baseAddress.AbsoluteUri;
        for (long i = 0; i < count; i++)
        {
            yield return prefix + PathOf(i);
        }
    }
}
