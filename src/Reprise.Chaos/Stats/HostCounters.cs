namespace Reprise.Chaos.Stats;

/// <summary>The live counters of one host: totals, concurrency, connections, and its routes' counters.</summary>
internal sealed class HostCounters
{
    /// <summary>How many seconds the in-flight series covers: the first hour after start or the last reset.</summary>
    public const int SeriesSeconds = 3600;

    private readonly long[] _maxInFlightBySecond = new long[SeriesSeconds];
    private readonly TimeProvider _time;
    private long _seriesStart;
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

    public HostCounters(IEnumerable<string> routePaths, IEnumerable<string>? countedHeaders = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _seriesStart = _time.GetTimestamp();
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
        InterlockedMax.RaiseTo(ref _maxInFlight, now);
        var second = _time.GetElapsedTime(Interlocked.Read(ref _seriesStart)).TotalSeconds;
        if (second is >= 0 and < SeriesSeconds)
        {
            InterlockedMax.RaiseTo(ref _maxInFlightBySecond[(int)second], now);
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
        MaxInFlightBySecond = SeriesSnapshot(),
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
        Interlocked.Exchange(ref _seriesStart, _time.GetTimestamp());
        for (var i = 0; i < _maxInFlightBySecond.Length; i++)
        {
            Interlocked.Exchange(ref _maxInFlightBySecond[i], 0);
        }
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

    /// <summary>The series up to its last second with an arrival (seconds with none are 0).</summary>
    private long[] SeriesSnapshot()
    {
        var copy = new long[SeriesSeconds];
        var length = 0;
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Interlocked.Read(ref _maxInFlightBySecond[i]);
            length = copy[i] > 0 ? i + 1 : length;
        }

        return copy[..length];
    }
}
