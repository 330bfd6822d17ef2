using Reprise.Hosts;
using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts;

/// <summary>
/// A simulation of a whole handler run against a token-bucket host: callers as the retrying handler's (each sends its
/// URLs one after the other, waits its own Retry-After on a 429 and sends again) wait for permits in the real
/// <see cref="HostState.AcquireAsync(UrlHistory, bool, HostWaitBudget, CancellationToken)"/>, the handler's path
/// (a concurrency slot, then a rate token reserved ahead). Time is a <see cref="FakeTimeProvider"/> advanced in steps of
/// a timer tick: a timer fires at the end of the tick it falls in, as real timers do on a coarse tick.
/// </summary>
/// <remarks>
/// The timers' continuations run on the thread that advances the time; the few that a task completion source runs on
/// the thread pool (a freed slot, a changed host) are waited for before the next tick.
/// </remarks>
internal sealed class HandlerRateLimitedRunSimulation
{
    private static readonly Uri Host = new("http://limited.test/");
    private readonly SteppedTimeProvider _time;
    private readonly DateTimeOffset _start;
    private readonly HostState _state;
    private readonly SimulatedTokenBucket _server;
    private readonly TimeSpan _responseTime;
    private readonly int _urls;
    private readonly int _callers;
    private int _nextUrl;
    private int _requests;
    private int _throttles;
    private int _succeeded;

    public HandlerRateLimitedRunSimulation(double serverRate, double serverBurst, int urls, int callers, TimeSpan responseTime, TimeSpan tick, TimeSpan lateness = default)
    {
        _time = new SteppedTimeProvider(tick);
        if (lateness > TimeSpan.Zero)
        {
            var late = new Random(54321);
            _time.Lateness = () => late.NextDouble() < 0.1 ? lateness * late.NextDouble() : TimeSpan.Zero;
        }

        _start = _time.GetUtcNow();
        var random = new Random(12345);
        var registry = new HostRegistry(new HostCoordinationOptions { MaxConcurrency = callers }, _time, random.NextDouble);
        _state = registry.GetState(Host);
        _server = new SimulatedTokenBucket(_time, serverRate, serverBurst);
        _responseTime = responseTime;
        _urls = urls;
        _callers = callers;
    }


    public int Requests => Volatile.Read(ref _requests);

    public int Throttles => Volatile.Read(ref _throttles);

    public int Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>Gets when the last URL was served.</summary>
    public TimeSpan Wall { get; private set; }

    /// <summary>Gets the rate, the served count and the 429s every quarter second.</summary>
    public List<string> Trace { get; } = [];

    private TimeSpan Now => _time.GetUtcNow() - _start;

    public HandlerRateLimitedRunSimulation Run(TimeSpan limit)
    {
        var callers = new Task[_callers];
        for (int i = 0; i < _callers; i++)
        {
            _time.AddActor();
            callers[i] = CallerAsync();
        }

        var nextTrace = TimeSpan.Zero;
        while (Succeeded < _urls && Now <= limit && _time.Step())
        {
            if (Now >= nextTrace)
            {
                Trace.Add($"{Now.TotalSeconds:F2}s rate={_state.RateLimiter?.CurrentRate:F1} measured={_state.RateLimiter?.MeasuredRate:F1} served={Succeeded} 429={Throttles} {Snapshot()}");
                nextTrace += TimeSpan.FromSeconds(0.25);
            }
        }

        foreach (var caller in callers.Where(caller => caller.IsFaulted))
        {
            caller.GetAwaiter().GetResult();
        }

        return this;
    }

    private string Snapshot()
    {
        var snapshot = _state.GetSnapshot();
        return $"limit={snapshot.ConcurrencyLimit} inFlight={snapshot.InFlight} waiting={snapshot.Waiting} circuit={snapshot.CircuitState} paused={snapshot.PausedUntil}";
    }

    private async Task CallerAsync()
    {
        while (Interlocked.Increment(ref _nextUrl) is var url && url <= _urls)
        {
            var history = UrlHistory.First(url);
            while (true)
            {
                var permit = await _state.AcquireAsync(history, isRetry: history.Attempt > 1, HostWaitBudget.Unbounded, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _requests);

                bool accepted = _server.TryTake();
                TimeSpan? retryAfter = accepted ? null : _server.RetryAfter();
                await Task.Delay(_responseTime, _time).ConfigureAwait(false);
                double? before = _state.RateLimiter?.CurrentRate;
                permit.Complete(accepted ? HostSignal.Accepted : HostSignal.Throttled, retryAfter);
                if (!accepted)
                {
                    Trace.Add($"  {Now.TotalSeconds:F3}s 429 (attempt {history.Attempt}): rate {before:F1} -> {_state.RateLimiter?.CurrentRate:F1} measured={_state.RateLimiter?.MeasuredRate:F1}");
                }

                permit.Dispose();
                if (accepted)
                {
                    Interlocked.Increment(ref _succeeded);
                    Wall = Now;
                    break;
                }

                Interlocked.Increment(ref _throttles);
                history = history.Next(HostSignal.Throttled, afterOwnWait: true, Now);
                await Task.Delay(retryAfter!.Value, _time).ConfigureAwait(false);
            }
        }

        _time.RemoveActor();
    }
}
