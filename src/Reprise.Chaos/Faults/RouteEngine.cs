using System.Diagnostics;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Reprise.Chaos.Configuration;
using Reprise.Chaos.Stats;

namespace Reprise.Chaos.Faults;

/// <summary>One route: which requests it serves, its gates, and the decision of each key's n-th call.</summary>
internal sealed class RouteEngine
{
    private readonly ConcurrentDictionary<string, KeyState> _keys = new(StringComparer.Ordinal);
    private readonly HostCounters _hostCounters;
    private readonly PathString _prefix;
    private readonly int _status;
    private readonly OutcomeSequence? _sequence;
    private readonly ChaosKeyMode _keyMode;
    private readonly int _seed;
    private readonly double _failureProbability;
    private readonly double _failingKeyFraction;
    private readonly int _failingKeyAttempts;
    private readonly int _failureStatus;
    private readonly int _latencyMs;
    private readonly int _latencyMaxMs;
    private readonly bool _hang;
    private readonly int _hangFirst;
    private readonly FaultKind _everyCallFault;
    private readonly int? _retryAfterSeconds;
    private readonly RetryAfterFormat _retryAfterFormat;
    private readonly HashSet<int>? _retryAfterStatuses;

    public RouteEngine(ChaosRouteOptions options, RouteCounters counters, HostCounters hostCounters, TimeProvider time)
    {
        Path = options.Path;
        _prefix = options.Path == "/" ? PathString.Empty : new PathString(options.Path.TrimEnd('/'));
        Counters = counters;
        _hostCounters = hostCounters;
        _status = options.Status;
        if (options.Sequence is not null)
        {
            var parsed = OutcomeSequence.TryParse(options.Sequence, out _sequence, out _, options.Status);
            Debug.Assert(parsed, "Sequences are validated at start-up.");
        }

        _keyMode = options.Key;
        _seed = options.Seed;
        _failureProbability = options.FailureProbability;
        _failingKeyFraction = options.FailingKeyFraction;
        _failingKeyAttempts = options.FailingKeyAttempts;
        _failureStatus = options.FailureStatus;
        _latencyMs = options.LatencyMs;
        _latencyMaxMs = options.LatencyMaxMs ?? options.LatencyMs;
        _hang = options.Hang;
        _hangFirst = options.HangFirst;
        _everyCallFault = options.Reset ? FaultKind.Reset : options.CutShort ? FaultKind.CutShort : options.Close ? FaultKind.Close : FaultKind.None;
        Location = options.Location;
        ExpectedAuthorization = options.BasicAuth is { } basic
            ? "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(basic))
            : null;
        Gzip = options.Gzip;
        Raw = options.Raw is { } raw ? System.Text.Encoding.Latin1.GetBytes(raw) : null;
        BodySize = options.BodySize;
        TrickleBytesPerSecond = options.TrickleBytesPerSecond;
        if (options.RetryAfter is { } retryAfter)
        {
            _retryAfterSeconds = retryAfter.Seconds;
            _retryAfterFormat = retryAfter.Format;
            _retryAfterStatuses = retryAfter.Statuses.Count == 0 ? null : [.. retryAfter.Statuses];
        }

        var gates = new List<Gate>(2);
        if (options.Outage is { } outage)
        {
            gates.Add(new OutageGate(outage, time));
        }

        if (options.RateLimit is { } rateLimit)
        {
            gates.Add(new RateLimitGate(rateLimit));
        }

        Gates = [.. gates];
    }

    /// <summary>Gets the route's path as configured, which names it in the statistics.</summary>
    public string Path { get; }

    public RouteCounters Counters { get; }

    /// <summary>Gets the route's own gates, outage first, then rate limit.</summary>
    public Gate[] Gates { get; }

    public int BodySize { get; }

    /// <summary>Gets the <c>Location</c> of every answer, <c>{n}</c> standing for the call number; null for none.</summary>
    public string? Location { get; }

    /// <summary>Gets the <c>Authorization</c> value a request must carry, or null when the route asks for none.</summary>
    public string? ExpectedAuthorization { get; }

    public bool Gzip { get; }

    /// <summary>Gets the exact bytes of every answer, or null for a normal answer.</summary>
    public byte[]? Raw { get; }

    public int TrickleBytesPerSecond { get; }

    /// <summary>Gets the length of the prefix, to let the longest match win.</summary>
    public int PrefixLength => _prefix.Value?.Length ?? 0;

    public bool Matches(PathString path)
        => !_prefix.HasValue || path.StartsWithSegments(_prefix, StringComparison.OrdinalIgnoreCase);

    public string KeyOf(HttpRequest request) => _keyMode switch
    {
        ChaosKeyMode.PathAndQuery => request.Path.Value + request.QueryString.Value,
        ChaosKeyMode.Route => Path,
        _ => request.Path.Value ?? "/",
    };

    public KeyState StateOf(string key)
        => _keys.GetOrAdd(key, static _ => new KeyState());

    /// <summary>Decides call <paramref name="call"/> (1-based) of <paramref name="key"/>; depends on nothing else.</summary>
    public ResponsePlan Decide(string key, long call)
    {
        var outcome = _sequence?.At(call) ?? new Outcome(_status, _everyCallFault);
        if (_failingKeyFraction > 0
            && call <= _failingKeyAttempts
            && SeededHash.Unit(_seed, SeededHash.FailingKeyPurpose, key, 0) < _failingKeyFraction)
        {
            outcome = new Outcome(_failureStatus, FaultKind.None);
        }
        else if (_failureProbability > 0 && SeededHash.Unit(_seed, SeededHash.FailurePurpose, key, call) < _failureProbability)
        {
            outcome = new Outcome(_failureStatus, FaultKind.None);
        }

        if (_hang || call <= _hangFirst)
        {
            outcome = outcome with { Fault = FaultKind.Hang };
        }

        return new ResponsePlan(outcome.Status, outcome.Fault, LatencyOf(key, call));
    }

    public bool WantsRetryAfter(int status, out int seconds, out RetryAfterFormat format)
    {
        seconds = _retryAfterSeconds.GetValueOrDefault();
        format = _retryAfterFormat;
        return _retryAfterSeconds.HasValue && (_retryAfterStatuses?.Contains(status) ?? status >= 400);
    }

    /// <summary>Counts an answer's status for the route and its host.</summary>
    public void CountStatus(int status)
    {
        Counters.Status(status);
        _hostCounters.Status(status);
    }

    /// <summary>Forgets every key's calls and Retry-After, and resets the route's gates.</summary>
    public void ResetState()
    {
        _keys.Clear();
        foreach (var gate in Gates)
        {
            gate.ResetState();
        }
    }

    private TimeSpan LatencyOf(string key, long call)
    {
        if (_latencyMaxMs == _latencyMs)
        {
            return TimeSpan.FromMilliseconds(_latencyMs);
        }

        var unit = SeededHash.Unit(_seed, SeededHash.LatencyPurpose, key, call);
        return TimeSpan.FromMilliseconds(_latencyMs + Math.Floor(unit * (_latencyMaxMs - _latencyMs + 1)));
    }
}
