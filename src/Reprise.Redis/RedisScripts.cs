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
    /// Leases tokens of a host's shared rate (GCRA). KEYS[1] the theoretical arrival time (TAT), KEYS[2] the lead
    /// ("interval holder setAt loweredAt"); ARGV: now (ms), the caller's interval (ms), burst (tokens), lease-ahead horizon
    /// H (ms), the caller's id, lowered (1 when the caller's rate fell since its last lease), lead time (ms), the fewest
    /// tokens of a lease, the longest span of a lease S (ms), the reach R (ms), the settling time (ms).
    /// <para>
    /// One rate T paces every process: the lead's. A caller follows a lead renewed within the lead time by another
    /// process, unless it lowered its rate below the lead's after the settling time since the lead was last lowered (a
    /// lowering within it answers the same throttles, drawn by tokens leased before that lowering: one congestion event
    /// lowers the shared rate once, as one process's rate is lowered once per event); otherwise it leads with its own
    /// rate, raised at most twofold per lead time since the lead was last set (a process that never saw a throttle may
    /// hold any rate). The lead's holder renews it with each lease; loweredAt moves only when a lowered caller leads.
    /// </para>
    /// Grants n tokens one T apart (n as <see cref="TokenLease.LeaseSize"/>: H / T, at least the fewest, at most S / T),
    /// starting at max(TAT, now - tau), tau = (burst - 1) T, as long as they fall at or before now + R (fewer when
    /// they would not); returns { count, first token's time, T } or { 0, wait (ms), T }. Across every process, tokens
    /// with times in any window of length w number at most w / T + burst while T holds.
    /// </summary>
    public const string LeaseTokens = LeaseFunction + "return lease(KEYS, ARGV)";

    /// <summary>
    /// Reads a host's shared state, adds this process's retry-throttle counts and marks it present. KEYS[1] pause,
    /// KEYS[2] circuit, KEYS[3] the processes present (a sorted set of ids by last sync), KEYS[4] the current counter
    /// bucket, KEYS[5..] the older buckets of the window; ARGV: requests, accepts, bucket TTL (ms), the caller's id, now
    /// (ms), how long a process counts as present (ms). Returns { pause, circuit, requests, accepts, processes present }
    /// summed over the window ('' for a missing key).
    /// </summary>
    public const string Sync = SyncFunction + "return sync(KEYS, ARGV)";

    /// <summary>
    /// A lease and a sync in one round trip: KEYS[1..2] and ARGV[1..11] as <see cref="LeaseTokens"/>, then KEYS[3..] and
    /// ARGV[12..17] as <see cref="Sync"/>. Returns the lease's three values, then the sync's five.
    /// </summary>
    public const string LeaseAndSync = LeaseFunction + SyncFunction + """
        local lk, la, sk, sa = { KEYS[1], KEYS[2] }, {}, {}, {}
        for i = 1, 11 do la[i] = ARGV[i] end
        for i = 12, #ARGV do sa[#sa + 1] = ARGV[i] end
        for i = 3, #KEYS do sk[#sk + 1] = KEYS[i] end
        local l = lease(lk, la)
        local s = sync(sk, sa)
        return { l[1], l[2], l[3], s[1], s[2], s[3], s[4], s[5] }
        """;

    /// <summary>How many ARGV the lease takes (the sync's follow in <see cref="LeaseAndSync"/>).</summary>
    public const int LeaseArgCount = 11;

    private const string LeaseFunction = """
        local function lease(KEYS, ARGV)
          local now = tonumber(ARGV[1])
          local t = tonumber(ARGV[2])
          local h = tonumber(ARGV[4])
          local leadMs = tonumber(ARGV[7])
          local leads = true
          local lowered = ARGV[6] == '1'
          local loweredAt = 0
          local lead = redis.call('GET', KEYS[2])
          if lead then
            local lt, lh, la, ll = string.match(lead, '^(%S+) (%S+) (%S+) ?(%S*)$')
            lt = tonumber(lt)
            la = tonumber(la)
            loweredAt = tonumber(ll) or 0
            if lt and la then
              local settling = now - loweredAt < tonumber(ARGV[11])
              if lh ~= ARGV[5] and now - la <= leadMs and (not lowered or t < lt or settling) then
                t = lt
                leads = false
              else
                local floor = lt / (2 ^ (math.max(0, now - la) / leadMs))
                if t < floor then t = floor end
              end
            end
          end
          if leads then
            if lowered then loweredAt = now end
            redis.call('SET', KEYS[2], tostring(t) .. ' ' .. ARGV[5] .. ' ' .. ARGV[1] .. ' ' .. tostring(loweredAt), 'PX', tostring(60 * leadMs))
          end
          local tau = (tonumber(ARGV[3]) - 1) * t
          local n = math.max(math.ceil(h / t), tonumber(ARGV[8]))
          n = math.min(n, math.max(1, math.floor(tonumber(ARGV[9]) / t)))
          local reach = tonumber(ARGV[10])
          local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
          local start = math.max(tat, now - tau)
          local k = math.floor((now + reach - start) / t) + 1
          if k > n then k = n end
          if k < 1 then return { 0, tostring(start - now - reach), tostring(t) } end
          local newTat = start + k * t
          redis.call('SET', KEYS[1], tostring(newTat), 'PX', tostring(math.ceil(newTat - now + tau + 1000)))
          return { k, tostring(start), tostring(t) }
        end

        """;

    private const string SyncFunction = """
        local function sync(KEYS, ARGV)
          if tonumber(ARGV[1]) > 0 or tonumber(ARGV[2]) > 0 then
            redis.call('HINCRBY', KEYS[4], 'r', ARGV[1])
            redis.call('HINCRBY', KEYS[4], 'a', ARGV[2])
            redis.call('PEXPIRE', KEYS[4], ARGV[3])
          end
          local r = 0
          local a = 0
          for i = 4, #KEYS do
            local v = redis.call('HMGET', KEYS[i], 'r', 'a')
            r = r + (tonumber(v[1]) or 0)
            a = a + (tonumber(v[2]) or 0)
          end
          redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tostring(tonumber(ARGV[5]) - tonumber(ARGV[6])))
          redis.call('PEXPIRE', KEYS[3], ARGV[6])
          local present = redis.call('ZCARD', KEYS[3])
          return { redis.call('GET', KEYS[1]) or '', redis.call('GET', KEYS[2]) or '', r, a, present }
        end

        """;
}
