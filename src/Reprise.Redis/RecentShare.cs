namespace Reprise.Redis;

/// <summary>
/// This process's share of a host's sends over its last few syncs: what every process added to the shared counts
/// between two of this process's reads, over what this process added with them, summed over the last
/// <see cref="Syncs"/> reads. Unlike the counts over the whole window (a minute), it follows the shares as they are
/// now: a process that sent more than the others at start (its first burst) would otherwise read its share as larger
/// than it is for the rest of the window, and the host's rate it adapts on as smaller. Not thread-safe: used under a
/// view's lock.
/// </summary>
internal sealed class RecentShare
{
    /// <summary>How many reads the share is summed over (at one read per cache validity, about five seconds).</summary>
    public const int Syncs = 5;

    private readonly long[] _all = new long[Syncs];
    private readonly long[] _own = new long[Syncs];
    private int _next;
    private long _lastSum = -1;

    /// <summary>Takes in one read of the window's sum, and the requests this process added with it.</summary>
    /// <param name="windowSum">Every process's requests over the window, as read (this process's just added included).</param>
    /// <param name="added">The requests this process added with this read.</param>
    public void OnRead(long windowSum, long added)
    {
        long all = windowSum - _lastSum;
        bool counts = _lastSum >= 0 && all >= added;
        _lastSum = windowSum;
        if (!counts)
        {
            // The first read, or the window dropped its oldest bucket between two reads: no difference to take.
            return;
        }

        _all[_next] = all;
        _own[_next] = added;
        _next = (_next + 1) % Syncs;
    }

    /// <summary>Every process's requests over this process's own, over the last reads; null while this process's are fewer than <paramref name="minOwn"/>.</summary>
    public double? Factor(long minOwn)
    {
        long own = 0, all = 0;
        for (int i = 0; i < Syncs; i++)
        {
            own += _own[i];
            all += _all[i];
        }

        return own < minOwn || own == 0 ? null : all / (double)own;
    }
}
