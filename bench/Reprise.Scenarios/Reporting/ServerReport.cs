using Reprise.Chaos.Stats;

namespace Reprise.Scenarios.Reporting;

/// <summary>What the scenario's chaos host counted during one client's run.</summary>
internal sealed class ServerReport
{
    public long Requests { get; init; }

    public long TooManyRequests { get; init; }

    public long ServiceUnavailable { get; init; }

    /// <summary>Gets the requests sent before a Retry-After given for the same URL had passed.</summary>
    public long EarlyRequests { get; init; }

    /// <summary>Gets the requests sent while a Retry-After given by the host's rate limit or outage was running.</summary>
    public long GroupEarlyRequests { get; init; }

    public long MaxInFlight { get; init; }

    public long ConnectionsOpened { get; init; }

    public Dictionary<string, long> Statuses { get; init; } = [];

    public static ServerReport From(ChaosStats stats) => new()
    {
        Requests = stats.TotalRequests,
        TooManyRequests = stats.CountOf(429),
        ServiceUnavailable = stats.CountOf(503),
        EarlyRequests = stats.EarlyRequests,
        GroupEarlyRequests = stats.GroupEarlyRequests,
        MaxInFlight = stats.MaxInFlight,
        ConnectionsOpened = stats.ConnectionsOpened,
        Statuses = stats.Statuses.ToDictionary(static p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), static p => p.Value, StringComparer.Ordinal),
    };
}
