namespace Reprise.Chaos.Stats;

/// <summary>A snapshot of one chaos host's counters, as served at <c>GET /_chaos/stats</c>.</summary>
/// <remarks>Requests to <c>/_chaos/</c> are not counted.</remarks>
public sealed class ChaosStats
{
    /// <summary>Gets every request the host received.</summary>
    public long TotalRequests { get; init; }

    /// <summary>Gets the requests being served when the snapshot was taken.</summary>
    public long InFlight { get; init; }

    /// <summary>Gets the most requests the host was serving at once.</summary>
    public long MaxInFlight { get; init; }

    /// <summary>
    /// Gets, for each whole second since the host started or its counters were reset (up to the last second in which a
    /// request arrived, within the first hour), the most requests in flight when a request arrived in it, that one
    /// included (0: none arrived). The most at once over a span of seconds is always reached at an arrival, so the
    /// maximum over the seconds of a window (an outage's, say) is the most requests served at once in it, counting
    /// those that arrived earlier and were still being served.
    /// </summary>
    public IReadOnlyList<long> MaxInFlightBySecond { get; init; } = [];

    /// <summary>Gets the connections the host accepted.</summary>
    public long ConnectionsOpened { get; init; }

    /// <summary>Gets the requests that arrived before a <c>Retry-After</c> the server had given for the same key had passed.</summary>
    public long EarlyRequests { get; init; }

    /// <summary>Gets the requests that arrived while a <c>Retry-After</c> given by a rate limit or outage they pass was still running.</summary>
    public long GroupEarlyRequests { get; init; }

    /// <summary>Gets the number of answers per status, over all routes (unrouted requests count as 404).</summary>
    public IReadOnlyDictionary<int, long> Statuses { get; init; } = new Dictionary<int, long>();

    /// <summary>Gets the counters of each route, by route path.</summary>
    public IReadOnlyDictionary<string, ChaosRouteStats> Routes { get; init; } = new Dictionary<string, ChaosRouteStats>();

    /// <summary>
    /// Gets, for each header named in <see cref="Configuration.ChaosHostOptions.CountHeaders"/>, how many requests
    /// carried it.
    /// </summary>
    public IReadOnlyDictionary<string, long> RequestHeaders { get; init; } = new Dictionary<string, long>();

    /// <summary>Gets the number of answers with <paramref name="status"/>, over all routes.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <returns>The count; 0 when there was none.</returns>
    public long CountOf(int status) => Statuses.GetValueOrDefault(status);
}
