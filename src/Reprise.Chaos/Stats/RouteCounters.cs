namespace Reprise.Chaos.Stats;

/// <summary>The live counters of one route; every update is one interlocked operation.</summary>
internal sealed class RouteCounters
{
    private readonly StatusCounters _statuses = new();
    private long _requests;
    private long _early;
    private long _groupEarly;
    private long _resets;
    private long _hangs;
    private long _cutShort;
    private long _closes;
    private long _raw;

    public void Request() => Interlocked.Increment(ref _requests);

    public void Status(int status) => _statuses.Increment(status);

    public void Early() => Interlocked.Increment(ref _early);

    public void GroupEarly() => Interlocked.Increment(ref _groupEarly);

    public void Reset() => Interlocked.Increment(ref _resets);

    public void Hang() => Interlocked.Increment(ref _hangs);

    public void CutShort() => Interlocked.Increment(ref _cutShort);

    public void Close() => Interlocked.Increment(ref _closes);

    public void RawAnswer() => Interlocked.Increment(ref _raw);

    public ChaosRouteStats Snapshot() => new()
    {
        Requests = Interlocked.Read(ref _requests),
        Statuses = _statuses.Snapshot(),
        EarlyRequests = Interlocked.Read(ref _early),
        GroupEarlyRequests = Interlocked.Read(ref _groupEarly),
        Resets = Interlocked.Read(ref _resets),
        Hangs = Interlocked.Read(ref _hangs),
        CutShort = Interlocked.Read(ref _cutShort),
        Closes = Interlocked.Read(ref _closes),
        RawAnswers = Interlocked.Read(ref _raw),
    };

    public void Clear()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _early, 0);
        Interlocked.Exchange(ref _groupEarly, 0);
        Interlocked.Exchange(ref _resets, 0);
        Interlocked.Exchange(ref _hangs, 0);
        Interlocked.Exchange(ref _cutShort, 0);
        Interlocked.Exchange(ref _closes, 0);
        Interlocked.Exchange(ref _raw, 0);
        _statuses.Reset();
    }
}
