using System.Diagnostics;

namespace Reprise.Chaos.Stats;

/// <summary>Lock-free counts per HTTP status: one slot per status from 100 to 599.</summary>
internal sealed class StatusCounters
{
    private const int First = 100;
    private readonly long[] _counts = new long[500];

    public void Increment(int status)
    {
        Debug.Assert(status is >= 100 and <= 599, "Statuses are validated at start-up.");
        Interlocked.Increment(ref _counts[status - First]);
    }

    public Dictionary<int, long> Snapshot()
    {
        var result = new Dictionary<int, long>();
        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Volatile.Read(ref _counts[i]);
            if (count != 0)
            {
                result[i + First] = count;
            }
        }

        return result;
    }

    public void Reset()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Exchange(ref _counts[i], 0);
        }
    }
}
