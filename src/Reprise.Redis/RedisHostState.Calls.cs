using System.Globalization;
using Reprise.Hosts;
using StackExchange.Redis;

namespace Reprise.Redis;

/// <summary>The background Redis calls: each is started under a view's lock and applies its answer under it later.</summary>
public sealed partial class RedisHostState
{
    private void MaybeSyncLocked(SharedHostView view, long now)
    {
        if (view.SyncInFlight || now - view.SyncedAt < SharedCounts.SyncInterval(now - view.FirstSyncAt, _options.CacheValidity))
        {
            return;
        }

        if (_link.IsUp)
        {
            var sync = StartSyncLocked(view, now);
            Track(SyncAsync(view, sync));
        }
    }

    /// <summary>Whether a lease asked now should carry the sync: it is at least half due, so a lease every half interval or more often makes every sync.</summary>
    private bool SyncRidesLocked(SharedHostView view, long now)
        => !view.SyncInFlight && 2 * (now - view.SyncedAt) >= SharedCounts.SyncInterval(now - view.FirstSyncAt, _options.CacheValidity);

    /// <summary>Marks a sync under way and takes the counts it adds; they are kept for the next one if it fails.</summary>
    private PendingSync StartSyncLocked(SharedHostView view, long now)
    {
        view.SyncInFlight = true;
        view.SyncedAt = now;
        if (view.FirstSyncAt == 0)
        {
            view.FirstSyncAt = now;
        }

        var sync = new PendingSync(now, view.PendingRequests, view.PendingAccepts, view.CircuitChanges);
        view.PendingRequests = view.PendingAccepts = 0;
        return sync;
    }

    private async Task SyncAsync(SharedHostView view, PendingSync sync)
    {
        var result = await _link.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.Sync, SyncKeys(view, sync), SyncArgs(sync))).ConfigureAwait(false);
        lock (view.Lock)
        {
            EndSyncLocked(view, sync, result is null ? null : (RedisResult[])result!, 0);
        }
    }

    private RedisKey[] SyncKeys(SharedHostView view, PendingSync sync, int offset = 0)
    {
        long bucket = sync.Now / BucketMs;
        var keys = new RedisKey[offset + 3 + RedisHostStateDefaults.ThrottleBuckets];
        keys[offset] = _keys.Pause(view.Host);
        keys[offset + 1] = _keys.Circuit(view.Host);
        keys[offset + 2] = _keys.Present(view.Host);
        for (int i = 0; i < RedisHostStateDefaults.ThrottleBuckets; i++)
        {
            keys[offset + 3 + i] = _keys.ThrottleBucket(view.Host, bucket - i);
        }

        return keys;
    }

    private RedisValue[] SyncArgs(PendingSync sync)
        => [sync.Requests, sync.Accepts, BucketMs * (RedisHostStateDefaults.ThrottleBuckets + 1), _id, sync.Now, 2 * (long)_options.CacheValidity.TotalMilliseconds];

    /// <summary>Applies a sync's answer, from <paramref name="reply"/>[<paramref name="at"/>] on; none (Redis failed) keeps its counts for the next.</summary>
    private void EndSyncLocked(SharedHostView view, PendingSync sync, RedisResult[]? reply, int at)
    {
        view.SyncInFlight = false;
        if (reply is null || reply.Length < at + 5)
        {
            // Not shared: kept for the next sync.
            view.PendingRequests += sync.Requests;
            view.PendingAccepts += sync.Accepts;
            return;
        }

        SharedHostMessage.ApplyPause(view, SharedHostMessage.FirstNumber((string?)reply[at]));
        if (view.CircuitChanges == sync.CircuitChanges)
        {
            // Unless the circuit changed since the read began: a message or this process's report is newer.
            SharedHostMessage.ApplyCircuit(view, (string?)reply[at + 1]);
        }

        view.SharedRequests = (long)reply[at + 2];
        view.SharedAccepts = (long)reply[at + 3];
        view.Present = (int)reply[at + 4];
        view.CountsReadAt = NowMs();
    }

    private void SharePauseLocked(SharedHostView view, long now)
    {
        if (!_link.IsUp)
        {
            view.Unshared = true;
            return;
        }

        string until = Invariant(view.PausedUntil);
        long ttl = view.PausedUntil - now + (long)RedisHostStateDefaults.PauseKeySlack.TotalMilliseconds;
        Track(ExtendLaterAsync(view, _keys.Pause(view.Host), until, ttl, SharedHostMessage.Pause(view.Host, view.PausedUntil), until));
    }

    private void ShareCircuitLocked(SharedHostView view, long now)
    {
        if (!_link.IsUp)
        {
            view.Unshared = true;
            return;
        }

        string value = Invariant(view.CircuitOpenUntil) + " " + Invariant(view.CircuitIntervalMs);
        long ttl = view.CircuitOpenUntil - now + (long)RedisHostStateDefaults.CircuitKeySlack.TotalMilliseconds;
        Track(ExtendLaterAsync(view, _keys.Circuit(view.Host), Invariant(view.CircuitOpenUntil), ttl, SharedHostMessage.Open(view.Host, view.CircuitOpenUntil, view.CircuitIntervalMs), value));
    }

    private async Task ExtendLaterAsync(SharedHostView view, string key, string end, long ttl, string message, string value)
    {
        RedisValue[] args = [end, Math.Max(ttl, 1), _keys.Channel, message, value];
        var result = await _link.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.ExtendLater, [key], args)).ConfigureAwait(false);
        if (result is null)
        {
            lock (view.Lock)
            {
                view.Unshared = true; // Merged when Redis answers again.
            }
        }
    }

    private async Task AskProbeAsync(SharedHostView view)
    {
        bool? won = await _link.RunAsync(db => db.StringSetAsync(
            _keys.Probe(view.Host), _id, _options.ProbeLeaseTime, When.NotExists)).ConfigureAwait(false);
        lock (view.Lock)
        {
            view.ProbeAskInFlight = false;
            view.HoldsProbe = won == true;
            view.ProbeSentAt = 0;

            // Someone else probes: ask again once its outcome is due to be heard (it is published when it comes).
            view.NextProbeAskAt = won == true ? 0 : NowMs() + (long)_options.CacheValidity.TotalMilliseconds;
        }
    }

    private void EndProbeLocked(SharedHostView view, long now, SharedHostReport report)
    {
        view.HoldsProbe = false;
        view.ProbeSentAt = 0;
        if (report.Outcome == SharedHostOutcome.Cancelled)
        {
            Track(_link.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.EndProbe, [_keys.Circuit(view.Host), _keys.Probe(view.Host)],
                [_id, "0", Invariant(now) + " " + Invariant(view.CircuitIntervalMs), 1000, _keys.Channel, SharedHostMessage.Open(view.Host, now, view.CircuitIntervalMs)])));
            view.CircuitOpenUntil = now;
            return;
        }

        bool closed = report.Outcome == SharedHostOutcome.Accepted;
        string message;
        string next = "";
        long ttl = 1;
        if (closed)
        {
            view.CircuitOpenUntil = 0;
            view.CircuitIntervalMs = 0;
            message = SharedHostMessage.Close(view.Host);
        }
        else
        {
            long interval = SharedCircuit.NextInterval(view.CircuitIntervalMs, report);
            view.CircuitIntervalMs = interval;
            view.CircuitOpenUntil = Math.Max(now + interval, report.PausedUntil?.ToUnixTimeMilliseconds() ?? 0);
            next = Invariant(view.CircuitOpenUntil) + " " + Invariant(interval);
            ttl = view.CircuitOpenUntil - now + (long)RedisHostStateDefaults.CircuitKeySlack.TotalMilliseconds;
            message = SharedHostMessage.Open(view.Host, view.CircuitOpenUntil, interval);
        }

        var keys = new RedisKey[] { _keys.Circuit(view.Host), _keys.Probe(view.Host) };
        RedisValue[] args = [_id, closed ? "1" : "0", next, ttl, _keys.Channel, message];
        Track(_link.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.EndProbe, keys, args)));
    }

    /// <summary>
    /// Leases tokens of the host's rate (<paramref name="perSecond"/>, every process's), with the host's sync in the same
    /// round trip when it is half due; while Redis is down, makes this process's share of it.
    /// </summary>
    private void StartLeaseLocked(SharedHostView view, double now, double perSecond)
    {
        if (!_link.IsUp)
        {
            // Down: this process keeps to its share of the host's rate, as last known, with tokens of its own.
            TokenLease.LeaseLocally(view, now, 1000 / perSecond * view.SendFactor, _options.TokenLeaseAhead.TotalMilliseconds);
            return;
        }

        if (view.LeaseInFlight || (now < view.NextLeaseAt && !view.RateLowered))
        {
            return;
        }

        view.LeaseInFlight = true;
        double ahead = _options.TokenLeaseAhead.TotalMilliseconds;
        RedisValue[] args =
        [
            Invariant(now), Invariant(1000 / perSecond), _options.RateBurst, Invariant(ahead),
            _id, view.RateLowered ? "1" : "0", (long)RedisHostStateDefaults.RateLeadTime.TotalMilliseconds,
            TokenLease.MinLeaseTokens, Invariant(TokenLease.MaxSpanFactor * ahead), Invariant(TokenLease.ReachFactor * ahead),
            Invariant(TokenLease.SettleTime(ahead)),
        ];
        view.RateLowered = false;
        view.ThrottledSinceLease = false;
        long nowMs = (long)now;
        PendingSync? sync = SyncRidesLocked(view, nowMs) ? StartSyncLocked(view, nowMs) : null;
        Track(LeaseAsync(view, args, sync));
    }

    private async Task LeaseAsync(SharedHostView view, RedisValue[] args, PendingSync? sync)
    {
        RedisKey[] leaseKeys = [_keys.Rate(view.Host), _keys.RateLead(view.Host)];
        var result = sync is { } s
            ? await _link.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.LeaseAndSync, [.. leaseKeys, .. SyncKeys(view, s)], [.. args, .. SyncArgs(s)])).ConfigureAwait(false)
            : await _link.RunAsync(db => db.ScriptEvaluateAsync(RedisScripts.LeaseTokens, leaseKeys, args)).ConfigureAwait(false);
        lock (view.Lock)
        {
            view.LeaseInFlight = false;
            var reply = result is null ? null : (RedisResult[])result!;
            if (sync is { } ridden)
            {
                EndSyncLocked(view, ridden, reply, 3);
            }

            if (reply is null)
            {
                return;
            }

            int count = (int)reply[0];
            double value = double.Parse((string)reply[1]!, CultureInfo.InvariantCulture);
            double interval = double.Parse((string)reply[2]!, CultureInfo.InvariantCulture);
            TokenLease.Apply(view, count, value, interval, (double)args[0]);
        }
    }

    /// <summary>A sync under way: when it was asked (Unix ms), and the counts it adds.</summary>
    private readonly record struct PendingSync(long Now, long Requests, long Accepts, int CircuitChanges);
}
