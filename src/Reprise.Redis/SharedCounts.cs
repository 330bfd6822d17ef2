namespace Reprise.Redis;

/// <summary>
/// The counts every process adds in Redis: when they may decide instead of the local ones (retry throttle), and what
/// they say of this process's share of the host's sends (shared rate).
/// </summary>
internal static class SharedCounts
{
    /// <summary>The fewest requests of this process over the window before its share of the host's sends is trusted.</summary>
    public const long MinOwnRequests = 20;

    /// <summary>The largest factor: a thousand processes sharing a host.</summary>
    public const double MaxFactor = 1000;

    /// <summary>
    /// Read at all, and within two cache validities (a sync is due every one; one missed sync is tolerated, two are
    /// not: Redis is then slow or the host idle, and the local counts are the better guess).
    /// </summary>
    public static bool AreFresh(long readAt, long now, TimeSpan cacheValidity)
        => readAt > 0 && now - readAt <= 2 * (long)cacheValidity.TotalMilliseconds;

    /// <summary>
    /// How many times this process's sends every process's sends are: the counts over the same window (the shared count
    /// as read, plus what this process added since, over this process's own count; 1 when they are too few). Over the
    /// first two cache validities after this process first read them, the counts lack much of the other processes'
    /// (each adds its own at its syncs): the number of processes present then is the least factor.
    /// </summary>
    /// <param name="sharedRequests">Every process's requests over the window, as last read (this process's then included).</param>
    /// <param name="pendingRequests">This process's requests since, not yet added in Redis.</param>
    /// <param name="ownRequests">This process's requests over the same window.</param>
    /// <param name="present">How many processes synced lately, as last read.</param>
    /// <param name="sinceFirstSync">How long since this process first read the counts.</param>
    /// <param name="cacheValidity">How often each process syncs.</param>
    public static double SendFactor(long sharedRequests, long pendingRequests, long ownRequests, int present, TimeSpan sinceFirstSync, TimeSpan cacheValidity)
    {
        // Other processes' latest requests reach Redis at their next sync: the counts' factor errs low.
        double counted = ownRequests < MinOwnRequests ? 1 : (sharedRequests + pendingRequests) / (double)ownRequests;
        double factor = sinceFirstSync < 2 * cacheValidity ? Math.Max(present, counted) : counted;
        return Math.Clamp(factor, 1, MaxFactor);
    }

    /// <summary>
    /// How long between two reads of a host's shared state: a quarter of the cache validity over the first two after
    /// this process first read it (the processes present and the counts settle then), the cache validity after.
    /// </summary>
    public static long SyncInterval(long sinceFirstSyncMs, TimeSpan cacheValidity)
    {
        long validity = (long)cacheValidity.TotalMilliseconds;
        return sinceFirstSyncMs < 2 * validity ? validity / 4 : validity;
    }
}
