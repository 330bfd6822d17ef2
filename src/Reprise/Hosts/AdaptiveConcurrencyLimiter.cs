using System.Diagnostics;
using System.Threading.RateLimiting;

namespace Reprise.Hosts;

/// <summary>
/// A concurrency limiter whose limit adapts by AIMD (additive increase, multiplicative decrease), as TCP congestion
/// avoidance (RFC 5681) and Netflix's concurrency-limits <c>AIMDLimit</c> do: +1 per round trip on success,
/// times 0.7 on a throttle or timeout, between a floor and a maximum. Waiters queue first in, first out.
/// </summary>
/// <remarks>
/// <see cref="HostState"/> uses the allocation-free <see cref="TryEnter"/>/<see cref="Exit"/> pair; the
/// <see cref="RateLimiter"/> surface wraps them in leases so the limiter composes with the BCL.
/// </remarks>
internal sealed class AdaptiveConcurrencyLimiter : RateLimiter
{
    private static readonly RateLimitLease FailedLease = new Lease(null, 0, isAcquired: false);

    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _first = new(); // HostWaitOrder's first lane: requests sent before
    private readonly LinkedList<Waiter> _queue = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _min;
    private readonly int _max;
    private readonly bool _adaptive;
    private readonly double _decreaseFactor;
    private double _limit;
    private int _inFlight;
    private long _successful;
    private long _failed;
    private long _idleSince;
    private bool _disposed;

    public AdaptiveConcurrencyLimiter(int min, int max, bool adaptive, TimeProvider timeProvider, double decreaseFactor = HostCoordinationDefaults.ConcurrencyDecreaseFactor)
    {
        Debug.Assert(min >= 1 && min <= max, "The floor is at least one and at most the maximum.");
        _min = min;
        _max = max;
        _adaptive = adaptive;
        _decreaseFactor = decreaseFactor;
        _limit = max;
        _timeProvider = timeProvider;
        _idleSince = timeProvider.GetTimestamp();
    }

    /// <summary>The limiter the options describe.</summary>
    public static AdaptiveConcurrencyLimiter For(HostCoordinationOptions options, TimeProvider timeProvider) => new(
        Math.Min(options.MinConcurrency, options.MaxConcurrency), options.MaxConcurrency, options.AdaptiveConcurrencyEnabled, timeProvider);

    /// <summary>Gets the current in-flight limit.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return CurrentLimit;
            }
        }
    }

    /// <summary>Gets how many permits are held.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets how many callers wait for a permit.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_lock)
            {
                return Queued;
            }
        }
    }

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                return _inFlight == 0 && Queued == 0 ? _timeProvider.GetElapsedTime(_idleSince) : null;
            }
        }
    }

    private int CurrentLimit => Math.Clamp((int)_limit, _min, _max);

    private int Queued => _first.Count + _queue.Count;

    /// <summary>Takes <paramref name="count"/> permits if they are free and nobody queues ahead.</summary>
    public bool TryEnter(int count = 1)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Queued == 0 && _inFlight + count <= CurrentLimit)
            {
                _inFlight += count;
                _successful++;
                return true;
            }

            _failed++;
            return false;
        }
    }

    /// <summary>Waits in line for <paramref name="count"/> permits; they are held when the task completes.</summary>
    public Task EnterAsync(int count, CancellationToken cancellationToken) => EnterAsync(count, goesFirst: false, cancellationToken);

    /// <summary>
    /// Waits for <paramref name="count"/> slots; a waiter that <paramref name="goesFirst"/> (<see cref="HostWaitOrder"/>)
    /// is granted before every other waiter, in the order such waiters came.
    /// </summary>
    public Task EnterAsync(int count, bool goesFirst, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Queued == 0 && _inFlight + count <= CurrentLimit)
            {
                _inFlight += count;
                _successful++;
                return Task.CompletedTask;
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new Waiter(count);
            waiter.Node = (goesFirst ? _first : _queue).AddLast(waiter);

            // Registered under the lock, before anyone can grant the waiter, so that whoever completes it disposes the
            // registration. A token cancelled meanwhile runs Cancel here, which takes this (reentrant) lock again.
            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.UnsafeRegister(
                    static (state, token) => ((AdaptiveConcurrencyLimiter)((object[])state!)[0]).Cancel((Waiter)((object[])state!)[1], token),
                    new object[] { this, waiter });
            }
        }

        return waiter.Task;
    }

    /// <summary>Gives back <paramref name="count"/> permits and hands them to the waiters in line.</summary>
    public void Exit(int count = 1)
    {
        List<Waiter>? granted;
        lock (_lock)
        {
            Debug.Assert(_inFlight >= count, "Only held permits are given back.");
            _inFlight -= count;
            if (_inFlight == 0 && Queued == 0)
            {
                _idleSince = _timeProvider.GetTimestamp();
            }

            granted = GrantQueuedLocked();
        }

        Release(granted);
    }

    /// <summary>Additive increase: one more permit per round trip's worth of successes while the limit is in use.</summary>
    public void OnSuccess()
    {
        // At its maximum the limit cannot grow: most hosts never leave it, so most successes take no lock. (A stale read
        // only means the check below runs under the lock.)
        if (!_adaptive || Volatile.Read(ref _limit) >= _max)
        {
            return;
        }

        List<Waiter>? granted;
        lock (_lock)
        {
            double grown = Grown(_limit, _inFlight, _min, _max);
            if (grown == _limit)
            {
                return;
            }

            _limit = grown;
            granted = GrantQueuedLocked();
        }

        Release(granted);
    }

    /// <summary>Multiplicative decrease after a throttle or a timeout.</summary>
    public void OnOverload()
    {
        if (!_adaptive)
        {
            return;
        }

        lock (_lock)
        {
            _limit = Shrunk(_limit, _inFlight, _min, _max, _decreaseFactor);
        }
    }

    /// <summary>
    /// The limit after a success: one more permit per round trip's worth of successes, only while the limit binds
    /// (Netflix AIMDLimit: in flight at least half the limit); an idle limit says nothing about what the host can take.
    /// </summary>
    internal static double Grown(double limit, int inFlight, int min, int max) =>
        limit >= max || inFlight * 2 < Math.Clamp((int)limit, min, max) ? limit : Math.Min(max, limit + (1.0 / limit));

    /// <summary>
    /// The limit after an overload: times the decrease factor, at least the floor. Symmetric to the growth rule: a limit
    /// that did not bind (fewer than half its permits in use) did not let the overload happen, and shrinking it would only
    /// ratchet it down while the rate limit does the work.
    /// </summary>
    internal static double Shrunk(double limit, int inFlight, int min, int max, double factor) =>
        inFlight * 2 >= Math.Clamp((int)limit, min, max) ? Math.Max(min, limit * factor) : limit;

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = Math.Max(0, CurrentLimit - _inFlight),
                CurrentQueuedCount = Queued,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        if (permitCount == 0)
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _inFlight < CurrentLimit ? new Lease(this, 0, isAcquired: true) : FailedLease;
            }
        }

        return TryEnter(permitCount) ? new Lease(this, permitCount, isAcquired: true) : FailedLease;
    }

    /// <inheritdoc/>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        if (permitCount > _max)
        {
            return FailedLease;
        }

        await EnterAsync(permitCount, cancellationToken).ConfigureAwait(false);
        return new Lease(this, permitCount, isAcquired: true);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        List<Waiter> waiters;
        lock (_lock)
        {
            _disposed = true;
            waiters = [.. _first, .. _queue];
            _first.Clear();
            _queue.Clear();
        }

        foreach (var waiter in waiters)
        {
            waiter.Registration.Dispose();
            waiter.TrySetException(new ObjectDisposedException(nameof(AdaptiveConcurrencyLimiter)));
        }
    }

    private static void Release(List<Waiter>? granted)
    {
        if (granted is null)
        {
            return;
        }

        foreach (var waiter in granted)
        {
            // Only this method and Cancel complete a waiter, and both first take it out of the queue under the lock.
            waiter.Registration.Dispose();
            waiter.TrySetResult();
        }
    }

    private List<Waiter>? GrantQueuedLocked()
    {
        List<Waiter>? granted = null;
        while ((_first.First ?? _queue.First) is { } first && _inFlight + first.Value.Count <= CurrentLimit)
        {
            first.List!.Remove(first);
            first.Value.Node = null;
            _inFlight += first.Value.Count;
            _successful++;
            (granted ??= []).Add(first.Value);
        }

        return granted;
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return; // Already granted.
            }

            waiter.Node.List!.Remove(waiter.Node);
            waiter.Node = null;
            _failed++;
        }

        waiter.TrySetCanceled(token);
    }

    private sealed class Waiter : TaskCompletionSource
    {
        public Waiter(int count)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            Count = count;
        }

        public int Count { get; }

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease : RateLimitLease
    {
        private AdaptiveConcurrencyLimiter? _limiter;
        private readonly int _count;

        public Lease(AdaptiveConcurrencyLimiter? limiter, int count, bool isAcquired)
        {
            _limiter = limiter;
            _count = count;
            IsAcquired = isAcquired;
        }

        public override bool IsAcquired { get; }

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            var limiter = Interlocked.Exchange(ref _limiter, null);
            if (limiter is not null && _count > 0)
            {
                limiter.Exit(_count);
            }
        }
    }
}
