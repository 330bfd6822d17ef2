namespace Reprise.Redis;

/// <summary>
/// This process's own requests to a host in the same time buckets as the shared counters in Redis, so that its share of
/// the host's sends is read over the same window. Not thread-safe: used under a view's lock.
/// </summary>
internal sealed class RequestBuckets
{
    private readonly long[] _ids;
    private readonly long[] _counts;

    public RequestBuckets(int buckets)
    {
        _ids = new long[buckets];
        _counts = new long[buckets];
        Array.Fill(_ids, -1);
    }

    /// <summary>Counts one request in <paramref name="bucket"/> (the time over the bucket length).</summary>
    public void Add(long bucket)
    {
        int slot = (int)(bucket % _ids.Length);
        if (_ids[slot] != bucket)
        {
            _ids[slot] = bucket;
            _counts[slot] = 0;
        }

        _counts[slot]++;
    }

    /// <summary>The requests in <paramref name="bucket"/> and the older buckets of the window.</summary>
    public long Sum(long bucket)
    {
        long sum = 0;
        for (int i = 0; i < _ids.Length; i++)
        {
            if (_ids[i] <= bucket && _ids[i] > bucket - _ids.Length)
            {
                sum += _counts[i];
            }
        }

        return sum;
    }
}
