using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

/// <summary>
/// A deterministic discrete-event simulation: workers ask a <see cref="HostState"/> for permits the way the bulk
/// engine's scheduler does (<see cref="HostState.TryAcquire(bool, bool)"/>, parking refused work until its
/// RetryAfter), and send to an in-memory server with a token-bucket rate limit that answers 429 with a Retry-After
/// (whole seconds, as HTTP sends it) beyond the limit. Time is a <see cref="FakeTimeProvider"/>; nothing sleeps.
/// </summary>
internal sealed class RateLimitedHostSimulation
{
    private static readonly Uri Host = new("http://limited.test/");
    private readonly PriorityQueue<Action, (long Ticks, long Order)> _events = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly DateTimeOffset _start;
    private readonly HostState _state;
    private readonly SimulatedTokenBucket _server;
    private readonly TimeSpan _responseTime;
    private readonly TimeSpan _measureFrom;
    private long _order;

    public RateLimitedHostSimulation(double serverRate, double serverBurst, int workers, TimeSpan responseTime, TimeSpan measureFrom, HostCoordinationOptions? options = null)
    {
        _start = _time.GetUtcNow();
        var random = new Random(12345);
        var registry = new HostRegistry(options ?? new HostCoordinationOptions(), _time, random.NextDouble);
        _state = registry.GetState(Host);
        _server = new SimulatedTokenBucket(_time, serverRate, serverBurst);
        _responseTime = responseTime;
        _measureFrom = measureFrom;
        for (int i = 0; i < workers; i++)
        {
            Schedule(TimeSpan.Zero, () => Ask(isRetry: false, counted: false));
        }
    }

    public long Sent { get; private set; }

    public long Accepted { get; private set; }

    public long Throttled { get; private set; }

    public HostState State => _state;

    public List<string> Trace { get; } = new();

    public Dictionary<string, int> Denials { get; } = new();

    public void Run(TimeSpan duration)
    {
        for (int i = 1; i <= (int)duration.TotalSeconds; i++)
        {
            Schedule(TimeSpan.FromSeconds(i), () => Trace.Add($"{(_time.GetUtcNow() - _start).TotalSeconds:F0}s rate={_state.RateLimiter?.CurrentRate:F0} measured={_state.RateLimiter?.MeasuredRate:F0} limit={_state.ConcurrencyLimiter.Limit} denials={string.Join(",", Denials.Select(d => d.Key + ":" + d.Value))} served={Accepted} 429={Throttled}"));
        }

        var end = _start + duration;
        while (_events.TryPeek(out _, out var at) && at.Ticks <= end.UtcTicks)
        {
            var action = _events.Dequeue();
            var when = new DateTimeOffset(at.Ticks, TimeSpan.Zero);
            if (when > _time.GetUtcNow())
            {
                _time.SetUtcNow(when);
            }

            action();
        }
    }

    private bool Measuring => _time.GetUtcNow() - _start >= _measureFrom;

    private void Ask(bool isRetry, bool counted)
    {
        var permit = _state.TryAcquire(isRetry, counted);
        if (!permit.IsAcquired)
        {
            Denials[permit.DenialReason.Describe()] = Denials.GetValueOrDefault(permit.DenialReason.Describe()) + 1;
            bool deferredRetry = permit.DenialReason == HostDenialReason.RetryBudgetExhausted;
            var wait = permit.WaitHint > TimeSpan.Zero ? permit.WaitHint : TimeSpan.FromMilliseconds(1);
            Schedule(wait, () => Ask(isRetry, counted || deferredRetry));
            return;
        }

        bool accepted = ServerAccepts();
        if (Measuring)
        {
            Sent++;
            if (accepted)
            {
                Accepted++;
            }
            else
            {
                Throttled++;
            }
        }

        Schedule(_responseTime, () =>
        {
            double? before = _state.RateLimiter?.CurrentRate;
            permit.Complete(accepted ? HostSignal.Accepted : HostSignal.Throttled, accepted ? null : _server.RetryAfter());
            if (!accepted && Environment.GetEnvironmentVariable("REPRISE_SIM_TRACE") == "1")
            {
                Trace.Add($"  {(_time.GetUtcNow() - _start).TotalSeconds:F3}s 429: rate {before:F1} -> {_state.RateLimiter?.CurrentRate:F1} measured={_state.RateLimiter?.MeasuredRate:F1}");
            }

            permit.Dispose();
            Ask(isRetry: !accepted, counted: false);
        });
    }

    /// <summary>Gets or sets how many requests the server accepts before its limit applies (a warm-up that primed the measurement).</summary>
    public int WarmUp { get; set; }

    private bool ServerAccepts()
    {
        if (WarmUp > 0)
        {
            WarmUp--;
            return true;
        }

        return _server.TryTake();
    }

    private void Schedule(TimeSpan after, Action action)
    {
        var at = _time.GetUtcNow() + after;
        _events.Enqueue(action, (at.UtcTicks, _order++));
    }
}
