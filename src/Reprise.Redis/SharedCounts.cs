namespace Reprise.Redis;

/// <summary>When the retry-throttle counts read from Redis may decide instead of the local ones.</summary>
internal static class SharedCounts
{
    /// <summary>
    /// Read at all, and within two cache validities (a sync is due every one; one missed sync is tolerated, two are
    /// not: Redis is then slow or the host idle, and the local counts are the better guess).
    /// </summary>
    public static bool AreFresh(long readAt, long now, TimeSpan cacheValidity)
        => readAt > 0 && now - readAt <= 2 * (long)cacheValidity.TotalMilliseconds;
}
