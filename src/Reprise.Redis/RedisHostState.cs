using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Reprise.Hosts;
using StackExchange.Redis;

namespace Reprise.Redis;

/// <summary>
/// Shares each host's pause, circuit (with a probe lease: one process probes at a time), retry-throttle counts and a
/// shared send rate (GCRA, tokens leased in batches) through Redis. Set it as
/// <see cref="HostCoordinationOptions.SharedState"/>, or register it with <c>AddRedisHostState</c>.
/// </summary>
/// <remarks>
/// Requests never wait for Redis: the registry reads a local cache, refreshed in the background every
/// <see cref="RedisHostStateOptions.CacheValidity"/> and at once on a published change. When Redis fails or is slower
/// than <see cref="RedisHostStateOptions.OperationTimeout"/>, the registries go on with their local state (metric
/// <c>reprise.redis.fallbacks</c>, one log line) and share again when it answers, merging the pauses and open circuits
/// they learned meanwhile. See docs/scale-out.md.
/// </remarks>
public sealed partial class RedisHostState : ISharedHostState, IDisposable
{
    private const int MaxViews = 10_000;

    /// <summary>How much lower than at the last ask a rate must be to count as lowered (the adaptive rate's growth is smooth).</summary>
    private const double LoweredTolerance = 0.001;
    private readonly ConcurrentDictionary<string, SharedHostView> _views = new(StringComparer.Ordinal);
    private readonly RedisHostStateOptions _options;
    private readonly TimeProvider _time;
    private readonly RedisKeys _keys;
    private readonly RedisLink _link;
    private readonly Meter? _ownMeter;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly Task _subscription;
    private int _operations;

    /// <summary>Initializes a new instance of the <see cref="RedisHostState"/> class.</summary>
    /// <param name="connection">The Redis connection; the caller owns it. Create it with <c>AbortOnConnectFail = false</c> so it reconnects.</param>
    /// <param name="options">The options; copied.</param>
    /// <param name="timeProvider">The clock of the registries that use it; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where the fallback and rejoin lines go; none when null.</param>
    /// <param name="meterFactory">Creates the <c>Reprise</c> meter; a meter of its own when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public RedisHostState(
        IConnectionMultiplexer connection,
        RedisHostStateOptions options,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        RedisHostStateOptionsValidator.ThrowIfInvalid(options);
        _options = options.Clone();
        _time = timeProvider ?? TimeProvider.System;
        _keys = new RedisKeys(_options.KeyPrefix);
        Meter meter;
        if (meterFactory is null)
        {
            meter = _ownMeter = new Meter("Reprise");
        }
        else
        {
            meter = meterFactory.Create("Reprise");
        }

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Reprise.Redis");
        _link = new RedisLink(connection, _options, logger, meter);
        _link.Rejoined += OnRejoined;
        _subscription = _link.SubscribeAsync(OnMessage);
    }

    /// <summary>Gets how many Redis calls this instance made (round trips, counted by the client).</summary>
    public long RoundTrips => _link.RoundTrips;

    /// <summary>Gets how many Redis calls failed or timed out (each time the registries went on locally).</summary>
    public long Fallbacks => _link.Fallbacks;

    /// <summary>Gets whether Redis answered the last call (false while the registries go on locally).</summary>
    public bool IsConnected => _link.IsUp;

    /// <summary>Gets how many Redis calls are under way.</summary>
    internal int InFlight => Volatile.Read(ref _operations);

    /// <inheritdoc/>
    public SharedHostDecision Check(string host)
    {
        var view = GetView(host);
        long now = NowMs();
        lock (view.Lock)
        {
            view.LastUsed = now;
            MaybeSyncLocked(view, now);
            if (view.PausedUntil > now)
            {
                return new SharedHostDecision(SharedHostVerdict.Paused, TimeSpan.FromMilliseconds(view.PausedUntil - now));
            }

            return CheckCircuitLocked(view, now);
        }
    }

    /// <inheritdoc/>
    public bool TryTakeToken(string host, double? rate, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (rate is not { } perSecond || perSecond <= 0)
        {
            return true;
        }

        var view = GetView(host);
        double now = NowMsExact();
        lock (view.Lock)
        {
            if (perSecond < view.LastRate * (1 - LoweredTolerance) && view.ThrottledSinceLease)
            {
                // This process lowered its rate on a throttle: its rate becomes every process's at its next lease, asked now.
                view.RateLowered = true;
            }

            view.LastRate = perSecond;
            var take = TokenLease.TryTake(view, now, _options.RateBurst, _options.TokenLeaseAhead.TotalMilliseconds);
            if (take.Refill || view.RateLowered)
            {
                StartLeaseLocked(view, now, perSecond);
            }

            if (take.Taken)
            {
                return true;
            }

            retryAfter = TimeSpan.FromMilliseconds(Math.Max(1, take.WaitMs));
            return false;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Fresh means read from Redis within two <see cref="RedisHostStateOptions.CacheValidity"/> while Redis answers; the
    /// counts this process added since are included.
    /// </remarks>
    public bool TryGetRetryCounts(string host, out long requests, out long accepts)
    {
        requests = accepts = 0;
        if (!_link.IsUp || !_views.TryGetValue(host, out var view))
        {
            return false;
        }

        long now = NowMs();
        lock (view.Lock)
        {
            if (!SharedCounts.AreFresh(view.CountsReadAt, now, _options.CacheValidity))
            {
                return false;
            }

            requests = view.SharedRequests + view.PendingRequests;
            accepts = view.SharedAccepts + view.PendingAccepts;
            return true;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Over this process's first two <see cref="RedisHostStateOptions.CacheValidity"/> with the host, the processes that
    /// read its state lately; after, the retry-throttle counts (every process's requests over the window, against this
    /// process's own over the same buckets), so it follows a change of the processes sharing the host within about a
    /// window. While the counts are not fresh (Redis down or slow), the last factor known.
    /// </remarks>
    public double GetSendRateFactor(string host)
    {
        if (!_views.TryGetValue(host, out var view))
        {
            return 1;
        }

        long now = NowMs();
        lock (view.Lock)
        {
            return SendFactorLocked(view, now);
        }
    }

    /// <inheritdoc/>
    public void Report(string host, SharedHostReport report)
    {
        var view = GetView(host);
        long now = NowMs();
        lock (view.Lock)
        {
            view.ThrottledSinceLease |= report.Outcome == SharedHostOutcome.Throttled;
            if (report.Outcome != SharedHostOutcome.Cancelled)
            {
                view.OwnRequests.Add(now / BucketMs);
                view.PendingRequests++;
                view.PendingAccepts += report.Outcome == SharedHostOutcome.Accepted ? 1 : 0;
            }

            if (report.PausedUntil is { } paused && paused.ToUnixTimeMilliseconds() > view.PausedUntil)
            {
                view.PausedUntil = paused.ToUnixTimeMilliseconds();
                SharePauseLocked(view, now);
            }

            if (view.HoldsProbe && view.ProbeSentAt > 0)
            {
                EndProbeLocked(view, now, report);
            }
            else if (report.CircuitOpenUntil is { } open && open.ToUnixTimeMilliseconds() > view.CircuitOpenUntil)
            {
                view.CircuitOpenUntil = open.ToUnixTimeMilliseconds();
                view.CircuitIntervalMs = Math.Max(view.CircuitOpenUntil - now, 1);
                ShareCircuitLocked(view, now);
            }
        }
    }

    /// <summary>Stops listening for changes; the connection stays the caller's.</summary>
    public void Dispose()
    {
        _link.Rejoined -= OnRejoined;
        _ownMeter?.Dispose();
    }

    private SharedHostDecision CheckCircuitLocked(SharedHostView view, long now)
    {
        if (view.CircuitOpenUntil == 0 || !_link.IsUp)
        {
            // Closed, or Redis is down: the local circuit alone decides.
            return SharedHostDecision.Pass;
        }

        if (view.CircuitOpenUntil > now)
        {
            return new SharedHostDecision(SharedHostVerdict.CircuitOpen, TimeSpan.FromMilliseconds(view.CircuitOpenUntil - now));
        }

        if (view.HoldsProbe && view.ProbeSentAt > 0 && now - view.ProbeSentAt > (long)_options.ProbeLeaseTime.TotalMilliseconds)
        {
            // Our probe was never reported (the local gates refused it, or it was lost): its lease has lapsed.
            view.HoldsProbe = false;
            view.ProbeSentAt = 0;
        }

        if (view.HoldsProbe && view.ProbeSentAt == 0)
        {
            view.ProbeSentAt = now; // This request is the probe of every process.
            return SharedHostDecision.Pass;
        }

        if (!view.HoldsProbe && !view.ProbeAskInFlight && now >= view.NextProbeAskAt)
        {
            view.ProbeAskInFlight = true;
            Track(AskProbeAsync(view));
        }

        return new SharedHostDecision(SharedHostVerdict.CircuitOpen, _options.OperationTimeout);
    }

    private SharedHostView GetView(string host)
    {
        if (_views.TryGetValue(host, out var view))
        {
            return view;
        }

        if (_views.Count >= MaxViews)
        {
            SweepViews();
        }

        return _views.GetOrAdd(host, static h => new SharedHostView(h));
    }

    /// <summary>Drops the views not used for the longest; their hosts start afresh from Redis when asked for again.</summary>
    private void SweepViews()
    {
        var byAge = _views.ToArray();
        Array.Sort(byAge, static (a, b) => a.Value.LastUsed.CompareTo(b.Value.LastUsed));
        for (int i = 0; i < byAge.Length / 10; i++)
        {
            _views.TryRemove(byAge[i]);
        }
    }

    private void OnMessage(string message)
    {
        if (!SharedHostMessage.TryParse(message, out var kind, out long until, out long interval, out var host) || !_views.TryGetValue(host, out var view))
        {
            return; // A host this process does not use reads the state when it first asks.
        }

        lock (view.Lock)
        {
            SharedHostMessage.Apply(view, kind, until, interval);
        }
    }

    private void OnRejoined()
    {
        long now = NowMs();
        foreach (var view in _views.Values)
        {
            lock (view.Lock)
            {
                if (!view.Unshared)
                {
                    continue;
                }

                // Merge what was learned alone: the later pause and an open circuit win.
                view.Unshared = false;
                if (view.PausedUntil > now)
                {
                    SharePauseLocked(view, now);
                }

                if (view.CircuitOpenUntil > 0)
                {
                    ShareCircuitLocked(view, now);
                }

                view.SyncedAt = 0;
            }
        }
    }

    /// <summary>Counts a background call until it has applied its answer.</summary>
    private void Track(Task operation)
    {
        Interlocked.Increment(ref _operations);
        operation.ContinueWith(static (_, state) => Interlocked.Decrement(ref ((RedisHostState)state!)._operations), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>This process's share of the host's sends as the counts say now, or as they last said while they are not fresh.</summary>
    private double SendFactorLocked(SharedHostView view, long now)
    {
        if (SharedCounts.AreFresh(view.CountsReadAt, now, _options.CacheValidity))
        {
            view.SendFactor = SharedCounts.SendFactor(
                view.SharedRequests, view.PendingRequests, view.OwnRequests.Sum(now / BucketMs), view.Present, TimeSpan.FromMilliseconds(now - view.FirstSyncAt), _options.CacheValidity);
        }

        return view.SendFactor;
    }

    /// <summary>The length of one bucket of the shared counters, in ms.</summary>
    private long BucketMs => (long)_options.RetryThrottlingWindow.TotalMilliseconds / RedisHostStateDefaults.ThrottleBuckets;

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private double NowMsExact() => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMilliseconds;

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
