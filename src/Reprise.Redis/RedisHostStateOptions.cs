using System.ComponentModel.DataAnnotations;

namespace Reprise.Redis;

/// <summary>Options of <see cref="RedisHostState"/>: how hosts' state is shared through Redis.</summary>
public sealed class RedisHostStateOptions
{
    /// <summary>Gets or sets the prefix of every key and of the change channel, so several deployments can share one Redis.</summary>
    /// <value>The default value is <c>reprise</c>.</value>
    // [Required] refuses an empty or white-space prefix too ([MinLength] would add nothing, and it needs reflection: IL2026).
    [Required]
    public string KeyPrefix { get; set; } = RedisHostStateDefaults.KeyPrefix;

    /// <summary>
    /// Gets or sets the longest any Redis call may take. A call that takes longer, or fails, makes the registries go
    /// on with their local state until Redis answers again; no request ever waits for Redis.
    /// </summary>
    /// <value>The default value is 50 milliseconds.</value>
    public TimeSpan OperationTimeout { get; set; } = RedisHostStateDefaults.OperationTimeout;

    /// <summary>
    /// Gets or sets how long a host's shared pause and circuit, read from Redis, are trusted before they are read
    /// again. Changes are also published, so other processes usually learn of a pause at once.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan CacheValidity { get; set; } = RedisHostStateDefaults.CacheValidity;

    /// <summary>Gets or sets how long one process holds the probe of an open circuit when its outcome is never reported.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan ProbeLeaseTime { get; set; } = RedisHostStateDefaults.ProbeLeaseTime;

    /// <summary>
    /// Gets or sets how far ahead a process leases tokens of a host's shared rate in one round trip: at 200 requests/s,
    /// 200 ms is a batch of 40 tokens, so one Redis round trip per 40 requests. A lease is at least 32 tokens (a rate
    /// shared by several processes is a few tokens per horizon each), at most 2.5 times this span of the rate, and
    /// reaches at most 5 times this far ahead.
    /// </summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan TokenLeaseAhead { get; set; } = RedisHostStateDefaults.TokenLeaseAhead;

    /// <summary>Gets or sets how many tokens of a host's shared rate may be spent at once after an idle spell.</summary>
    /// <value>The default value is 1 token.</value>
    [Range(1, 1_000_000)]
    public int RateBurst { get; set; } = RedisHostStateDefaults.RateBurst;

    /// <summary>Gets or sets how often a process whose Redis failed tries it again.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RejoinInterval { get; set; } = RedisHostStateDefaults.RejoinInterval;

    /// <summary>Gets or sets the window over which the retry-throttle counters (requests and accepts) are summed across processes.</summary>
    /// <value>The default value is 1 minute, in 10 buckets.</value>
    public TimeSpan RetryThrottlingWindow { get; set; } = RedisHostStateDefaults.RetryThrottlingWindow;

    internal RedisHostStateOptions Clone() => (RedisHostStateOptions)MemberwiseClone();
}
