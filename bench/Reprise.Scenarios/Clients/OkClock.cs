using System.Diagnostics;
using Reprise.Scenarios.Reporting;

namespace Reprise.Scenarios.Clients;

/// <summary>
/// Counts when each URL finished ok, in 10 ms bins from the run's start (the origin of its wall time). Thread-safe,
/// one interlocked increment per ok URL; its memory follows the run's longest possible time (4 bytes per 10 ms), not
/// its URL count, so a million URLs cost no more than a hundred.
/// </summary>
internal sealed class OkClock
{
    /// <summary>The width of one bin: the resolution of the ok times.</summary>
    public static readonly TimeSpan Bin = TimeSpan.FromMilliseconds(10);

    private readonly HashSet<int> _ok;
    private readonly int[] _bins;
    private long _start = Stopwatch.GetTimestamp();

    /// <param name="okStatuses">The final statuses that count as ok.</param>
    /// <param name="longest">The longest the run can take; a later ok counts in the last bin.</param>
    public OkClock(IEnumerable<int> okStatuses, TimeSpan longest)
    {
        _ok = [.. okStatuses];
        _bins = new int[(int)Math.Ceiling(longest / Bin) + 1];
    }

    /// <summary>Sets the origin of the ok times: the run's start.</summary>
    public void Start(long timestamp) => _start = timestamp;

    /// <summary>Records one URL's final status; an ok one counts in the bin of the time since the run's start.</summary>
    public void Record(int status)
    {
        if (_ok.Contains(status))
        {
            var bin = (long)(Stopwatch.GetElapsedTime(_start) / Bin);
            Interlocked.Increment(ref _bins[Math.Clamp(bin, 0, _bins.Length - 1)]);
        }
    }

    /// <summary>Gets the ok URLs per bin so far, up to the last bin with any.</summary>
    public OkTimeline Timeline()
    {
        var last = Array.FindLastIndex(_bins, static n => n > 0);
        var counts = new int[last + 1];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _bins[i]);
        }

        return new OkTimeline(Bin.TotalSeconds, counts);
    }
}
