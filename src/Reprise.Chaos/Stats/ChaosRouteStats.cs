namespace Reprise.Chaos.Stats;

/// <summary>A snapshot of one route's counters.</summary>
public sealed class ChaosRouteStats
{
    /// <summary>Gets the requests the route received, including those its outage or rate limits answered.</summary>
    public long Requests { get; init; }

    /// <summary>Gets the number of answers per status (a cut-short answer counts under the status it started with).</summary>
    public IReadOnlyDictionary<int, long> Statuses { get; init; } = new Dictionary<int, long>();

    /// <summary>Gets the requests that arrived before a <c>Retry-After</c> the server had given for the same key had passed.</summary>
    public long EarlyRequests { get; init; }

    /// <summary>
    /// Gets the requests that arrived while a <c>Retry-After</c> given by a rate limit or outage they pass
    /// (the route's or the host's) was still running, whatever their key.
    /// </summary>
    public long GroupEarlyRequests { get; init; }

    /// <summary>Gets the connections reset instead of an answer.</summary>
    public long Resets { get; init; }

    /// <summary>Gets the connections closed (FIN) instead of an answer, raw answers on a reused connection included.</summary>
    public long Closes { get; init; }

    /// <summary>Gets the raw answers written (<see cref="Configuration.ChaosRouteOptions.Raw"/>).</summary>
    public long RawAnswers { get; init; }

    /// <summary>Gets the requests that were left hanging.</summary>
    public long Hangs { get; init; }

    /// <summary>Gets the answers cut short.</summary>
    public long CutShort { get; init; }

    /// <summary>Gets the number of answers with <paramref name="status"/>.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <returns>The count; 0 when there was none.</returns>
    public long CountOf(int status) => Statuses.GetValueOrDefault(status);
}
