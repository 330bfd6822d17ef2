using System.Diagnostics;

namespace Reprise.Hosts;

/// <summary>
/// Client-side adaptive throttling (Google SRE book, chapter 21, "Handling Overload"): counts the host's requests
/// and accepts over a sliding window of buckets and refuses a retry with probability
/// max(0, (requests - K * accepts - free) / (requests + 1)).
/// </summary>
/// <remarks>
/// Not thread-safe: the owning <see cref="HostState"/> calls it under its lock. The window is a ring of buckets so
/// counts age out in steps of window/buckets without storing one entry per request.
/// </remarks>
internal sealed class RetryThrottle
{
    private readonly long[] _requests;
    private readonly long[] _accepts;
    private readonly long _bucketTicks;
    private readonly double _k;
    private readonly int _free;
    private long _currentBucket;
    private long _totalRequests;
    private long _totalAccepts;

    public RetryThrottle(TimeSpan window, int buckets, double k, int free)
    {
        Debug.Assert(buckets > 0 && window > TimeSpan.Zero, "A window needs buckets and a length.");
        _requests = new long[buckets];
        _accepts = new long[buckets];
        _bucketTicks = Math.Max(1, window.Ticks / buckets);
        _k = k;
        _free = free;
    }

    /// <summary>The throttle the options describe, or null when retry throttling is off.</summary>
    public static RetryThrottle? For(HostCoordinationOptions options) => options.RetryThrottlingEnabled
        ? new RetryThrottle(options.RetryThrottlingWindow, HostCoordinationDefaults.RetryThrottlingBuckets, options.RetryThrottlingK, options.RetryThrottlingFreeRequests)
        : null;

    /// <summary>Gets the length of one bucket: how often the counts change by ageing.</summary>
    public TimeSpan BucketLength => TimeSpan.FromTicks(_bucketTicks);

    public long Requests => _totalRequests;

    public long Accepts => _totalAccepts;

    /// <summary>Counts one request (sent or held back); <paramref name="accepted"/> counts it as accepted too.</summary>
    public void Record(TimeSpan now, bool addRequest, bool accepted)
    {
        int index = Advance(now);
        if (addRequest)
        {
            _requests[index]++;
            _totalRequests++;
        }

        if (accepted)
        {
            _accepts[index]++;
            _totalAccepts++;
        }
    }

    /// <summary>Gets the probability with which a retry is held back now.</summary>
    public double RejectProbability(TimeSpan now)
    {
        Advance(now);
        return RejectProbability(_totalRequests, _totalAccepts, _k, _free);
    }

    /// <summary>Draws whether to hold a retry back now; draws only when the probability is above zero.</summary>
    /// <param name="now">The registry's time.</param>
    /// <param name="random">A source of uniform doubles in [0, 1).</param>
    public bool HoldsBack(TimeSpan now, Func<double> random)
    {
        double reject = RejectProbability(now);
        return reject > 0 && random() < reject;
    }

    /// <summary>The policy: max(0, (requests - K * accepts - free) / (requests + 1)).</summary>
    internal static double RejectProbability(long requests, long accepts, double k, int free)
    {
        double excess = requests - (k * accepts) - free;
        return excess <= 0 ? 0 : excess / (requests + 1);
    }

    private int Advance(TimeSpan now)
    {
        long bucket = now.Ticks / _bucketTicks;
        if (bucket > _currentBucket)
        {
            long stale = Math.Min(bucket - _currentBucket, _requests.Length);
            for (long b = _currentBucket + 1; b <= _currentBucket + stale; b++)
            {
                int i = (int)(b % _requests.Length);
                _totalRequests -= _requests[i];
                _totalAccepts -= _accepts[i];
                _requests[i] = 0;
                _accepts[i] = 0;
            }

            _currentBucket = bucket;
        }

        return (int)(_currentBucket % _requests.Length);
    }
}
