using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Reprise.Timing;

namespace Reprise.Hosts;

/// <summary>
/// Per-host state shared by every request that uses this registry: handlers and bulk engines that share a
/// registry share what they learn about each host (its pause, retry budget, circuit and limits).
/// </summary>
/// <remarks>
/// A host is a scheme, host and port. State for hosts not asked for within <see cref="HostCoordinationOptions.IdleTimeout"/>
/// is dropped lazily, and at most <see cref="HostCoordinationOptions.MaxHosts"/> hosts are tracked: beyond that the
/// least recently used are dropped first, so memory stays bounded however many hosts are seen.
/// </remarks>
public sealed class HostRegistry
{
    private readonly ConcurrentDictionary<HostKey, HostState> _states = new();
    private readonly Lock _sweepLock = new();
    private readonly HostContext _context;
    private readonly TimeSpan _sweepInterval;
    private int _count;
    private long _lastSweepTicks;

    /// <summary>Initializes a new instance of the <see cref="HostRegistry"/> class with the default options.</summary>
    /// <param name="timeProvider">The time source; <see cref="TimeProvider.System"/> when null.</param>
    public HostRegistry(TimeProvider? timeProvider = null)
        : this(new HostCoordinationOptions(), timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HostRegistry"/> class.</summary>
    /// <param name="options">The options; copied, so later changes to them have no effect.</param>
    /// <param name="timeProvider">The time source; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public HostRegistry(HostCoordinationOptions options, TimeProvider? timeProvider = null)
        : this(options, timeProvider, static () => Random.Shared.NextDouble())
    {
    }

    internal HostRegistry(HostCoordinationOptions options, TimeProvider? timeProvider, Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        Clock = new RegistryClock(timeProvider ?? TimeProvider.System);
        Options = options.Clone();
        _context = new HostContext(Options, Clock, random);

        // Sweeping every quarter of the idle timeout drops an idle host at most 1.25 timeouts after its last use.
        _sweepInterval = TimeSpan.FromTicks(Options.IdleTimeout.Ticks / 4);
    }

    /// <summary>Gets the time source of this registry, and of every handler and bulk engine that shares it.</summary>
    public TimeProvider TimeProvider => Clock.Provider;

    /// <summary>Gets how many hosts the registry tracks now.</summary>
    public int Count => Volatile.Read(ref _count);

    internal HostCoordinationOptions Options { get; }

    /// <summary>Gets the registry's clock: the one time of its hosts, its handlers and its bulk runs.</summary>
    internal RegistryClock Clock { get; }

    /// <summary>
    /// Adds <paramref name="observer"/> to those who hear state changes of this registry's hosts, unless one that reports
    /// to an equal <paramref name="sink"/> already does.
    /// </summary>
    internal void AttachObserver(IHostObserver observer, object sink)
    {
        lock (_sweepLock)
        {
            _context.Observer = HostObservers.Add(_context.Observer as HostObservers, observer, sink);
        }
    }

    /// <summary>Gets a snapshot of one host's state, or <see langword="null"/> when the registry does not track it.</summary>
    /// <param name="uri">Any absolute URI of the host.</param>
    /// <returns>The host's snapshot, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="uri"/> is not absolute.</exception>
    public HostSnapshot? GetSnapshot(Uri uri) =>
        _states.TryGetValue(HostKey.From(uri), out var state) ? state.GetSnapshot() : null;

    /// <summary>Gets a snapshot of every tracked host's state.</summary>
    /// <returns>One snapshot per host, in no particular order.</returns>
    public IReadOnlyList<HostSnapshot> GetSnapshots()
    {
        MaybeSweep(Clock.Now);
        var snapshots = new List<HostSnapshot>(Count);
        foreach (var pair in _states)
        {
            snapshots.Add(pair.Value.GetSnapshot());
        }

        return snapshots;
    }

    /// <summary>
    /// Gets the host's adaptive in-flight limit as a BCL <see cref="RateLimiter"/>, so it composes with other
    /// limiters (for example in a <see cref="PartitionedRateLimiter"/> chain). A lease taken from it counts against the
    /// same per-host limit that Reprise's own requests use.
    /// </summary>
    /// <param name="uri">Any absolute URI of the host.</param>
    /// <returns>A view of the host's concurrency limiter: disposing it ends the view, not the host's limiter.</returns>
    public RateLimiter GetConcurrencyLimiter(Uri uri) => new SharedLimiterView(GetState(uri).ConcurrencyLimiter);

    /// <summary>
    /// Gets the host's adaptive send-rate limiter as a BCL <see cref="RateLimiter"/>, or null when adaptive rate is
    /// off. It lets everything through until the host first throttles, then paces sends at the adapted rate.
    /// </summary>
    /// <param name="uri">Any absolute URI of the host.</param>
    /// <returns>A view of the host's rate limiter (disposing it ends the view, not the host's limiter), or null.</returns>
    public RateLimiter? GetRateLimiter(Uri uri) => GetState(uri).RateLimiter is { } limiter ? new SharedLimiterView(limiter) : null;

    internal HostState GetState(Uri uri) => GetState(uri, Clock.Now);

    /// <summary>Gets the host's state, created when new, at <paramref name="timestamp"/>: a reading of the registry's clock.</summary>
    internal HostState GetState(Uri uri, long timestamp) => GetState(uri, Clock.TimeAt(timestamp));

    /// <summary>
    /// Gets the time source of a handler or a bulk engine built with <paramref name="hosts"/> and
    /// <paramref name="timeProvider"/>: the registry's, since host gates, waits and stamps must read one clock; the given
    /// one (or the system's) when there is no registry yet, which is then built with it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="timeProvider"/> is not the registry's <see cref="TimeProvider"/>.</exception>
    internal static TimeProvider SharedTimeProvider(HostRegistry? hosts, TimeProvider? timeProvider, string paramName)
    {
        if (hosts is null)
        {
            return timeProvider ?? TimeProvider.System;
        }

        if (timeProvider is not null && !ReferenceEquals(timeProvider, hosts.TimeProvider))
        {
            throw new ArgumentException(
                "The time provider must be the host registry's (HostRegistry.TimeProvider): build the registry with it, or pass null.", paramName);
        }

        return hosts.TimeProvider;
    }

    private HostState GetState(Uri uri, TimeSpan now)
    {
        var key = HostKey.From(uri);
        if (!_states.TryGetValue(key, out var state))
        {
            var created = new HostState(key.ToString(), _context);
            if (_states.TryAdd(key, created))
            {
                state = created;
                if (Interlocked.Increment(ref _count) > Options.MaxHosts)
                {
                    Sweep(now, overCap: true);
                }
            }
            else
            {
                state = _states[key];
            }
        }

        state.Touch(now);
        MaybeSweep(now);
        return state;
    }

    private void MaybeSweep(TimeSpan now)
    {
        if (now.Ticks - Volatile.Read(ref _lastSweepTicks) >= _sweepInterval.Ticks)
        {
            Sweep(now, overCap: false);
        }
    }

    /// <summary>
    /// Drops idle hosts; over the cap, also the least recently used (idle ones first) down to 90% of it, so the cost
    /// of a sweep is shared by the next tenth of the cap's new hosts.
    /// </summary>
    private void Sweep(TimeSpan now, bool overCap)
    {
        if (!_sweepLock.TryEnter())
        {
            return; // Another thread sweeps; the next new host checks again.
        }

        try
        {
            Volatile.Write(ref _lastSweepTicks, now.Ticks);
            var idleBefore = now - Options.IdleTimeout;
            foreach (var pair in _states)
            {
                if (pair.Value.LastSeen <= idleBefore && !pair.Value.IsBusy)
                {
                    Remove(pair);
                }
            }

            int target = Options.MaxHosts - (Options.MaxHosts / 10);
            if (!overCap || Count <= target)
            {
                return;
            }

            // A busy host dropped here keeps working for the permits that hold it; only new requests start afresh.
            // Ages are read once: busy hosts sort after every idle one, each group oldest first.
            var byAge = _states.ToArray();
            var ages = new long[byAge.Length];
            for (int i = 0; i < byAge.Length; i++)
            {
                ages[i] = byAge[i].Value.LastSeen.Ticks + (byAge[i].Value.IsBusy ? long.MaxValue / 2 : 0);
            }

            Array.Sort(ages, byAge);
            for (int i = 0; i < byAge.Length && Count > target; i++)
            {
                Remove(byAge[i]);
            }
        }
        finally
        {
            _sweepLock.Exit();
        }
    }

    private void Remove(KeyValuePair<HostKey, HostState> pair)
    {
        if (_states.TryRemove(pair))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private readonly record struct HostKey(string Scheme, string Host, int Port)
    {
        public static HostKey From(Uri uri)
        {
            ArgumentNullException.ThrowIfNull(uri);
            if (!uri.IsAbsoluteUri)
            {
                throw new ArgumentException("The URI must be absolute to name a host.", nameof(uri));
            }

            return new HostKey(uri.Scheme, uri.IdnHost, uri.Port);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Scheme}://{Host}:{Port}");
    }
}
