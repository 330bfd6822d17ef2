using Reprise.Bench.Clients;
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

    /// <summary>Gets other final statuses that also count as success (a healthy URL's 404 among 200s).</summary>
    public IReadOnlyList<int> AlsoExpected { get; init; } = [];

    /// <summary>Gets the scenario's own retry settings (attempt timeout, deadline); the run's when null.</summary>
    public RetrySettings? Retry { get; init; }

    /// <summary>
    /// Gets how long a client may run before it is stopped and reports the URLs done by then ("66 done after 60 s"),
    /// for rows where a client may take far longer than its peers; no limit but the child's timeout when null.
    /// </summary>
    public TimeSpan? Cap { get; init; }

    /// <summary>Gets the clients that run this scenario; all of them when null.</summary>
    public IReadOnlyList<string>? Clients { get; init; }

    /// <summary>Gets the path of URL number <c>i</c> (from 0), relative to the host's base address.</summary>
    public Func<long, string> PathOf { get; init; } = static i => $"items/{i}";

    /// <summary>Gets the retry settings of this scenario: its own, or the run's.</summary>
    public RetrySettings RetryFor(RunProfile profile) => Retry ?? profile.Retry;

    /// <summary>
    /// Gets <see cref="HttpClient.Timeout"/> of the clients: the run's, or with the scenario's own settings the
    /// deadline plus a second, so that the deadline fires first. The naive loop's is its attempt timeout.
    /// </summary>
    public TimeSpan ClientTimeoutFor(RunProfile profile, string client) => Retry is not { } retry
        ? profile.ClientTimeout
        : client == ClientNames.Naive ? retry.AttemptTimeout : retry.Deadline + TimeSpan.FromSeconds(1);

    /// <summary>Gets how long the parent waits for one client before it kills it.</summary>
    public TimeSpan ChildTimeoutFor(RunProfile profile) => Cap is { } cap ? cap + TimeSpan.FromSeconds(30) : profile.ChildTimeout;

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
