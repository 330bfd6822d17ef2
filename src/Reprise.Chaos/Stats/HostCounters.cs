namespace Reprise.Chaos.Stats;

/// <summary>The live counters of one host: totals, concurrency, connections, and its routes' counters.</summary>
internal sealed class HostCounters
{
    private readonly StatusCounters _statuses = new();
    private readonly KeyValuePair<string, RouteCounters>[] _routes;
    private long _total;
    private long _inFlight;
    private long _maxInFlight;
    private long _connections;
    private long _early;
    private long _groupEarly;

    private readonly string[] _headerNames;
    private readonly long[] _headerCounts;

    public HostCounters(IEnumerable<string> routePaths, IEnumerable<string>? countedHeaders = null)
    {
        _routes = routePaths.Select(static p => KeyValuePair.Create(p, new RouteCounters())).ToArray();
        _headerNames = countedHeaders?.Distinct(StringComparer.OrdinalIgnoreCase).ToArray() ?? [];
        _headerCounts = new long[_headerNames.Length];
    }

    /// <summary>Gets the request headers counted, by name.</summary>
    public IReadOnlyList<string> CountedHeaders => _headerNames;

    /// <summary>Counts a request that carried the header at <paramref name="index"/> of <see cref="CountedHeaders"/>.</summary>
    public void Header(int index) => Interlocked.Increment(ref _headerCounts[index]);

    /// <summary>Gets the counters of the route at <paramref name="index"/>, in the order of the paths given.</summary>
    public RouteCounters Route(int index) => _routes[index].Value;

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    public void RequestStarted()
    {
        Interlocked.Increment(ref _total);
        var now = Interlocked.Increment(ref _inFlight);
        var max = Interlocked.Read(ref _maxInFlight);
        while (now > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, now, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    public void Status(int status) => _statuses.Increment(status);

    public void Early() => Interlocked.Increment(ref _early);

    public void GroupEarly() => Interlocked.Increment(ref _groupEarly);

    public ChaosStats Snapshot() => new()
    {
        TotalRequests = Interlocked.Read(ref _total),
        InFlight = Interlocked.Read(ref _inFlight),
        MaxInFlight = Interlocked.Read(ref _maxInFlight),
        ConnectionsOpened = Interlocked.Read(ref _connections),
        EarlyRequests = Interlocked.Read(ref _early),
        GroupEarlyRequests = Interlocked.Read(ref _groupEarly),
        Statuses = _statuses.Snapshot(),
        Routes = _routes.ToDictionary(static r => r.Key, static r => r.Value.Snapshot(), StringComparer.Ordinal),
        RequestHeaders = _headerNames.Select((name, i) => KeyValuePair.Create(name, Interlocked.Read(ref _headerCounts[i])))
            .ToDictionary(StringComparer.OrdinalIgnoreCase),
    };

    /// <summary>Zeroes every counter; requests still being served stay in flight, and the maximum restarts from them.</summary>
    public void Clear()
    {
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _maxInFlight, Interlocked.Read(ref _inFlight));
        Interlocked.Exchange(ref _connections, 0);
        Interlocked.Exchange(ref _early, 0);
        Interlocked.Exchange(ref _groupEarly, 0);
        _statuses.Reset();
        for (var i = 0; i < _headerCounts.Length; i++)
        {
            Interlocked.Exchange(ref _headerCounts[i], 0);
        }

        foreach (var route in _routes)
        {
            route.Value.Clear();
        }
    }
}
