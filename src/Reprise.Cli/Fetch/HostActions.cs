using System.Globalization;
using Reprise.Cli.Parsing;
using Reprise.Hosts;

namespace Reprise.Cli.Fetch;

/// <summary>
/// The counts of what the client did to one host. Pauses that overlap (a second Retry-After extends the first) count
/// once: the total is the time the host was paused, not the sum of the servers' requests. Not thread-safe: the owner
/// (<see cref="HostActivity"/>) locks it.
/// </summary>
internal sealed class HostActions
{
    private DateTimeOffset _pauseStart;
    private DateTimeOffset _pauseEnd;
    private DateTimeOffset? _openedAt;

    public int Pauses { get; private set; }

    public int CircuitOpenings { get; private set; }

    public long RetriesHeldBack { get; set; }

    /// <summary>Gets the lowest rate the adaptive or fixed rate limit held the host to, in requests per second.</summary>
    public double? LowestRate { get; private set; }

    /// <summary>Gets the lowest adaptive in-flight limit seen while requests waited for it (under <c>--per-host</c>).</summary>
    public int? LowestLimit { get; private set; }

    /// <summary>Gets how many samples found requests waiting because <c>--per-host</c> was full.</summary>
    public int PerHostBound { get; private set; }

    /// <summary>Gets how many samples found requests waiting on the adaptive in-flight limit.</summary>
    public int LimitBound { get; private set; }

    public TimeSpan PausedTotal(DateTimeOffset now) => _closedPauses + (Pauses == 0 ? TimeSpan.Zero : Min(now, _pauseEnd) - _pauseStart);

    public TimeSpan CircuitOpenTotal(DateTimeOffset now) => _closedOpen + (_openedAt is { } opened ? now - opened : TimeSpan.Zero);

    private TimeSpan _closedPauses;
    private TimeSpan _closedOpen;

    public void Paused(DateTimeOffset now, TimeSpan pause)
    {
        var end = now + pause;
        if (Pauses > 0 && now <= _pauseEnd)
        {
            // Extends the pause in progress.
            _pauseEnd = end > _pauseEnd ? end : _pauseEnd;
            return;
        }

        if (Pauses > 0)
        {
            _closedPauses += _pauseEnd - _pauseStart;
        }

        Pauses++;
        _pauseStart = now;
        _pauseEnd = end;
    }

    public void CircuitChanged(DateTimeOffset now, string? from, string? to)
    {
        if (to == "open" && from == "closed")
        {
            CircuitOpenings++;
            _openedAt = now;
        }
        else if (to == "closed" && _openedAt is { } opened)
        {
            _closedOpen += now - opened;
            _openedAt = null;
        }
    }

    public void Observe(HostSnapshot host, bool waitingOnSlots, int perHost)
    {
        if (host.Rate is { } rate && (LowestRate is null || rate < LowestRate))
        {
            LowestRate = rate;
        }

        if (!waitingOnSlots)
        {
            return;
        }

        if (host.ConcurrencyLimit >= perHost)
        {
            PerHostBound++;
        }
        else
        {
            LimitBound++;
            LowestLimit = LowestLimit is null ? host.ConcurrencyLimit : Math.Min(LowestLimit.Value, host.ConcurrencyLimit);
        }
    }

    public string? Describe(DateTimeOffset now, int perHost)
    {
        var parts = new List<string>();
        if (CircuitOpenings > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"circuit breaker opened {Times(CircuitOpenings)}, {DurationParser.Format(Round(CircuitOpenTotal(now)))} open in all"));
        }

        if (Pauses > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"paused by Retry-After {Times(Pauses)}, {DurationParser.Format(Round(PausedTotal(now)))} in all"));
        }

        if (RetriesHeldBack > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{RetriesHeldBack} {(RetriesHeldBack == 1 ? "retry" : "retries")} held back (retry budget)"));
        }

        if (LowestRate is { } rate)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"throttled to {rate:0.#}/s at the lowest"));
        }

        if (LowestLimit is { } limit)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"in-flight limit down to {limit}"));
        }

        if (PerHostBound > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"--per-host {perHost} was the binding limit"));
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string Times(int count) => count == 1 ? "once" : string.Create(CultureInfo.InvariantCulture, $"{count} times");

    private static TimeSpan Round(TimeSpan value) => TimeSpan.FromMilliseconds(Math.Round(value.TotalMilliseconds));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
