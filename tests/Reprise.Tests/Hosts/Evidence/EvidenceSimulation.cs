using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;
using Reprise.Hosts.Evidence;
using Reprise.Timing;

namespace Reprise.Tests.Hosts.Evidence;

/// <summary>
/// A deterministic discrete-event simulation at the level of the evidence parts: a bulk-like scheduler (retries due
/// first, then fresh URLs, up to a concurrency limit) sends to an <see cref="ISimServer"/> through a host stand-in
/// made only of <see cref="HostEvidence"/>, a pause, a circuit, an AIMD limit and the <see cref="AdaptiveRateLimiter"/>.
/// With <see cref="Coordinated"/> off it is the per-request reference: the same scheduler, no host gates. Nothing sleeps.
/// <remarks>
/// This part holds the settings, the results and the event loop; the scheduler is in EvidenceSimulation.Scheduler.cs,
/// the host stand-in in EvidenceSimulation.Host.cs.
/// </remarks>
/// </summary>
internal sealed partial class EvidenceSimulation
{
    private readonly PriorityQueue<Action, (long Ticks, long Order)> _events = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly RegistryClock _clock;
    private readonly ISimServer _server;
    private long _order;
    private TimeSpan _dispatchAt = TimeSpan.MaxValue;

    public EvidenceSimulation(ISimServer server, int urls, int concurrency, bool coordinated, int failureThreshold = 20)
    {
        _server = server;
        Urls = urls;
        MaxConcurrency = concurrency;
        Coordinated = coordinated;
        _limit = concurrency;
        _clock = new RegistryClock(_time);
        if (coordinated)
        {
            _evidence = new HostEvidence(failureThreshold, rateManaged: true);
            _rate = new AdaptiveRateLimiter(_clock);
        }
    }

    public int Urls { get; }

    public int MaxConcurrency { get; }

    public bool Coordinated { get; }

    public int MaxAttempts { get; init; } = 4;

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the deadline of each URL, counted from when the scheduler first takes it.</summary>
    public TimeSpan Deadline { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Gets the wait before retry n (1-based) when the server gave no Retry-After.</summary>
    public Func<int, TimeSpan> Backoff { get; init; } = n => TimeSpan.FromMilliseconds(200 * (1 << (n - 1)));

    public int Requests { get; private set; }

    public int Throttles { get; private set; }

    public int Succeeded { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Gets when the last URL finished.</summary>
    public TimeSpan Wall { get; private set; }

    /// <summary>Gets how many URLs finished before the given time.</summary>
    public List<TimeSpan> FinishedAt { get; } = [];

    /// <summary>Gets the latest finish of a URL, measured from when the scheduler first took it.</summary>
    public TimeSpan LongestFromFirstTake { get; private set; }

    public TimeSpan PausedTotal { get; private set; }

    public double LowestLimit { get; private set; } = double.MaxValue;

    public int CircuitOpenings { get; private set; }

    public ThrottleVerdict? Verdict => _evidence?.ThrottleVerdict;

    public HostEvidence? Evidence => _evidence;

    public AdaptiveRateLimiter? Rate => _rate;

    public TimeSpan Now => _clock.Now;

    public EvidenceSimulation Run(TimeSpan limit)
    {
        ScheduleDispatch(TimeSpan.Zero);
        while (_events.TryPeek(out _, out var at) && at.Ticks <= limit.Ticks)
        {
            var action = _events.Dequeue();
            var when = TimeSpan.FromTicks(at.Ticks);
            if (when > Now)
            {
                _time.Advance(when - Now);
            }

            action();
        }

        return this;
    }

    public int FinishedBy(TimeSpan time) => FinishedAt.Count(t => t <= time);

    private void Schedule(TimeSpan at, Action action) => _events.Enqueue(action, ((at < Now ? Now : at).Ticks, _order++));

    private void ScheduleDispatch(TimeSpan at)
    {
        if (at < Now)
        {
            at = Now;
        }

        // One pending dispatch at a time, the earliest.
        if (at < _dispatchAt)
        {
            _dispatchAt = at;
            Schedule(at, () =>
            {
                if (Now >= _dispatchAt)
                {
                    _dispatchAt = TimeSpan.MaxValue;
                    Dispatch();
                }
            });
        }
    }

    private void Finish(Item item, bool success)
    {
        if (success)
        {
            Succeeded++;
        }
        else
        {
            Failed++;
        }

        Wall = Now;
        FinishedAt.Add(Now);
        var fromTake = Now - (item.FirstTaken ?? Now);
        if (fromTake > LongestFromFirstTake)
        {
            LongestFromFirstTake = fromTake;
        }
    }
}
