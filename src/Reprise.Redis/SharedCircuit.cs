using Reprise.Hosts;

namespace Reprise.Redis;

/// <summary>The shared circuit's one decision: how long it stays open after a failed probe.</summary>
internal static class SharedCircuit
{
    /// <summary>
    /// The server's wait when it named one (the report's pause or circuit), else the last interval doubled, from 1 s up to
    /// 30 s, as the local circuit does.
    /// </summary>
    public static long NextInterval(long lastMs, SharedHostReport report)
    {
        long doubled = lastMs <= 0
            ? (long)RedisHostStateDefaults.ProbeInterval.TotalMilliseconds
            : Math.Min(lastMs * 2, (long)RedisHostStateDefaults.MaxProbeInterval.TotalMilliseconds);
        return Math.Max(doubled, (long)RedisHostStateDefaults.ProbeInterval.TotalMilliseconds);
    }
}
