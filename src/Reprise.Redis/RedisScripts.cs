namespace Reprise.Redis;

/// <summary>
/// The Lua scripts: each change of shared state is one atomic script, so processes never interleave a read and a write.
/// Times are the callers' Unix milliseconds (processes keep their clocks in step with NTP; a skew of a few ms shifts a
/// pause or a token by as much).
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// Extends a pause or an open circuit: the later end wins. KEYS[1] the key; ARGV: end (ms), TTL (ms), channel,
    /// message, value. Publishes the message when the end moved. Returns 1 when it did.
    /// </summary>
    public const string ExtendLater = """
        local cur = redis.call('GET', KEYS[1])
        local curEnd = 0
        if cur then curEnd = tonumber(string.match(cur, '^%S+')) or 0 end
        if tonumber(ARGV[1]) > curEnd then
          redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[2])
          redis.call('PUBLISH', ARGV[3], ARGV[4])
          return 1
        end
        return 0
        """;

    /// <summary>
    /// Ends a probe: KEYS[1] the circuit, KEYS[2] the probe lease; ARGV: holder, closed (1/0), next value, TTL (ms),
    /// channel, message. Only the lease's holder ends it. Closed deletes the circuit; otherwise it reopens with the next
    /// value. Publishes the message. Returns 1 when the caller held the lease.
    /// </summary>
    public const string EndProbe = """
        if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[2])
        if ARGV[2] == '1' then
          redis.call('DEL', KEYS[1])
        else
          redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
        end
        redis.call('PUBLISH', ARGV[5], ARGV[6])
        return 1
        """;

    /// <summary>
    /// Leases up to n tokens of a shared rate (GCRA). KEYS[1] the theoretical arrival time (TAT); ARGV: now (ms),
    /// interval T (ms), burst tolerance tau (ms), lease-ahead horizon H (ms), n. Grants the tokens whose times fall at or
    /// before now + H, starting at max(TAT, now - tau); returns { count, first token's time } or { 0, wait (ms) }.
    /// Across every process, tokens with times in any window of length w number at most w / T + burst.
    /// </summary>
    public const string LeaseTokens = """
        local now = tonumber(ARGV[1])
        local t = tonumber(ARGV[2])
        local tau = tonumber(ARGV[3])
        local h = tonumber(ARGV[4])
        local n = tonumber(ARGV[5])
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        local start = math.max(tat, now - tau)
        local k = math.floor((now + h - start) / t) + 1
        if k > n then k = n end
        if k < 1 then return { 0, tostring(start - now - h) } end
        local newTat = start + k * t
        redis.call('SET', KEYS[1], tostring(newTat), 'PX', tostring(math.ceil(newTat - now + tau + 1000)))
        return { k, tostring(start) }
        """;

    /// <summary>
    /// Reads a host's shared state and adds this process's retry-throttle counts. KEYS[1] pause, KEYS[2] circuit,
    /// KEYS[3] the current counter bucket, KEYS[4..] the older buckets of the window; ARGV: requests, accepts, bucket TTL
    /// (ms). Returns { pause, circuit, requests, accepts } summed over the window ('' for a missing key).
    /// </summary>
    public const string Sync = """
        if tonumber(ARGV[1]) > 0 or tonumber(ARGV[2]) > 0 then
          redis.call('HINCRBY', KEYS[3], 'r', ARGV[1])
          redis.call('HINCRBY', KEYS[3], 'a', ARGV[2])
          redis.call('PEXPIRE', KEYS[3], ARGV[3])
        end
        local r = 0
        local a = 0
        for i = 3, #KEYS do
          local v = redis.call('HMGET', KEYS[i], 'r', 'a')
          r = r + (tonumber(v[1]) or 0)
          a = a + (tonumber(v[2]) or 0)
        end
        return { redis.call('GET', KEYS[1]) or '', redis.call('GET', KEYS[2]) or '', r, a }
        """;
}
