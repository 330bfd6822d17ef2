namespace Reprise.Redis;

/// <summary>
/// The key layout (docs/scale-out.md). Every key of a host carries the host in a hash tag (<c>{...}</c>), so a Redis
/// Cluster keeps them in one slot and a script may touch several. Every key has an expiry.
/// </summary>
internal sealed class RedisKeys
{
    private readonly string _prefix;

    public RedisKeys(string prefix)
    {
        _prefix = prefix;
        Channel = prefix + ":events";
    }

    /// <summary>Gets the channel on which pauses and circuit changes are published.</summary>
    public string Channel { get; }

    /// <summary><c>{prefix}:{host}:pause</c>: the pause's end in Unix milliseconds; expires 5 s after it.</summary>
    public string Pause(string host) => $"{_prefix}:{{{host}}}:pause";

    /// <summary><c>{prefix}:{host}:circuit</c>: "next probe time (ms) interval (ms)" of an open circuit; expires 5 min after the probe time.</summary>
    public string Circuit(string host) => $"{_prefix}:{{{host}}}:circuit";

    /// <summary><c>{prefix}:{host}:probe</c>: who holds the probe (SET NX PX); expires after the probe lease time.</summary>
    public string Probe(string host) => $"{_prefix}:{{{host}}}:probe";

    /// <summary><c>{prefix}:{host}:tat</c>: the rate's theoretical arrival time (GCRA), Unix ms; expires once it is past by the burst.</summary>
    public string Rate(string host) => $"{_prefix}:{{{host}}}:tat";

    /// <summary>
    /// <c>{prefix}:{host}:lead</c>: "interval (ms) holder setAt (ms)" of the shared rate: the rate of the process that
    /// lowered it last; another may lead once its holder stopped leasing for <see cref="RedisHostStateDefaults.RateLeadTime"/>;
    /// expires 60 lead times after it was last set.
    /// </summary>
    public string RateLead(string host) => $"{_prefix}:{{{host}}}:lead";

    /// <summary>
    /// <c>{prefix}:{host}:present</c>: the processes sending to the host (a sorted set of ids by their last sync);
    /// members older than two cache validities are dropped at each sync, and the key expires after as long.
    /// </summary>
    public string Present(string host) => $"{_prefix}:{{{host}}}:present";

    /// <summary><c>{prefix}:{host}:rt:{bucket}</c>: a hash of requests (r) and accepts (a) in one bucket of the window; expires after the window.</summary>
    public string ThrottleBucket(string host, long bucket) => $"{_prefix}:{{{host}}}:rt:{bucket}";
}
