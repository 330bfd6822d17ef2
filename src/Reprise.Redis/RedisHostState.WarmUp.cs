using StackExchange.Redis;

namespace Reprise.Redis;

/// <summary>The first calls of a process, made before sharing matters.</summary>
public sealed partial class RedisHostState
{
    /// <summary>The host the warm-up's keys name; they expire like any host's.</summary>
    private const string WarmUpHost = "reprise-warm-up";

    /// <summary>
    /// Waits for the change channel's subscription (so that changes published from then on arrive), and makes one call
    /// of each kind (a PING and each script) with a timeout of its own, so that the first calls of a run, slow with the
    /// connection's and the code's first use and the server's script cache, do not exceed
    /// <see cref="RedisHostStateOptions.OperationTimeout"/> and set the registries on their local state for a
    /// <see cref="RedisHostStateOptions.RejoinInterval"/>. Never throws; a Redis that does not answer is left to the
    /// usual fallback.
    /// </summary>
    /// <param name="timeout">How long the warm-up may take in all.</param>
    /// <param name="cancellationToken">Stops the warm-up.</param>
    /// <returns>Whether Redis answered every call in time.</returns>
    public async Task<bool> WarmUpAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var db = _link.Database;
        long now = NowMs();
        RedisKey[] syncKeys = [_keys.Pause(WarmUpHost), _keys.Circuit(WarmUpHost), _keys.Present(WarmUpHost), _keys.ThrottleBucket(WarmUpHost, 0)];
        RedisValue[] leaseArgs = [Invariant(now), "1000", 1, "1", _id, "0", 1, 1, "1000", "1000", "0"];
        RedisValue[] syncArgs = [0, 0, 1, _id, now, 1];
        RedisKey[] leaseKeys = [_keys.Rate(WarmUpHost), _keys.RateLead(WarmUpHost)];
        try
        {
            await Task.WhenAll(
                _subscription, // Changes published from now on reach this process.
                db.PingAsync(),
                db.ScriptEvaluateAsync(RedisScripts.Sync, syncKeys, syncArgs),
                db.ScriptEvaluateAsync(RedisScripts.ExtendLater, [_keys.Pause(WarmUpHost)], ["0", 1, _keys.Channel, "-", "0"]),
                db.ScriptEvaluateAsync(RedisScripts.EndProbe, [_keys.Circuit(WarmUpHost), _keys.Probe(WarmUpHost)], [_id, "1", "0", 1, _keys.Channel, "-"]),
                db.ScriptEvaluateAsync(RedisScripts.LeaseTokens, leaseKeys, leaseArgs),
                db.ScriptEvaluateAsync(RedisScripts.LeaseAndSync, [.. leaseKeys, .. syncKeys], [.. leaseArgs, .. syncArgs]))
                .WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // A warm-up only prepares: Redis failing is the ordinary calls' to notice.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
