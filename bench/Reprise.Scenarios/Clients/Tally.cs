using System.Collections.Concurrent;

namespace Reprise.Scenarios.Clients;

/// <summary>What a client got back for its URLs: one final status or one error per URL. Thread-safe.</summary>
internal sealed class Tally
{
    private readonly long[] _statuses = new long[600];
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly OkClock? _okClock;
    private long _results;
    private long _longestTicks;

    /// <param name="okClock">Where to record when each URL finished ok; none when null (a warm-up).</param>
    public Tally(OkClock? okClock = null)
    {
        _okClock = okClock;
    }

    public long Results => Interlocked.Read(ref _results);

    /// <summary>Gets the longest time one URL spent in the client, from when the client took it to its result.</summary>
    public TimeSpan Longest => TimeSpan.FromTicks(Interlocked.Read(ref _longestTicks));

    /// <summary>Records how long one URL took, from when the client took it to its result.</summary>
    public void Took(TimeSpan elapsed)
    {
        var ticks = elapsed.Ticks;
        var current = Interlocked.Read(ref _longestTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _longestTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public void Status(int status)
    {
        Interlocked.Increment(ref _statuses[Math.Clamp(status, 0, _statuses.Length - 1)]);
        _okClock?.Record(status);
        Interlocked.Increment(ref _results);
    }

    public void Error(Exception exception)
    {
        _errors.AddOrUpdate(Describe(exception), 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _results);
    }

    /// <summary>Records a URL that ended without a response, by a reason the client gives (the bulk engine's stop reason).</summary>
    public void Failure(string reason)
    {
        _errors.AddOrUpdate(reason, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _results);
    }

    public long CountOf(int status) => Interlocked.Read(ref _statuses[status]);

    public Dictionary<string, long> Statuses()
    {
        var statuses = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < _statuses.Length; i++)
        {
            if (Interlocked.Read(ref _statuses[i]) is var n and > 0)
            {
                statuses[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = n;
            }
        }

        return statuses;
    }

    public Dictionary<string, long> Errors() => new(_errors, StringComparer.Ordinal);

    // The exception's type and its direct cause's tell a timeout (TaskCanceledException(TimeoutException)) from a
    // refusal or an open circuit.
    private static string Describe(Exception exception) => exception.InnerException is { } inner
        ? $"{exception.GetType().Name}({inner.GetType().Name})"
        : exception.GetType().Name;
}
