using Reprise.Hosts;

namespace Reprise.Tests.Hosts.Evidence;

/// <summary>What a simulated server answers: a signal, a Retry-After, a latency, or a hang (the attempt times out).</summary>
internal readonly record struct SimAnswer(HostSignal Signal, TimeSpan? RetryAfter, TimeSpan Latency, bool Hangs = false)
{
    public static SimAnswer Ok(TimeSpan latency) => new(HostSignal.Accepted, null, latency);

    public static SimAnswer Hang => new(HostSignal.TimedOut, null, TimeSpan.Zero, Hangs: true);
}

/// <summary>A simulated server: answers one attempt of one URL at a time.</summary>
internal interface ISimServer
{
    SimAnswer Answer(int url, int attempt, TimeSpan now);
}

internal static class SimServers
{
    public static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(1);

    /// <summary>Every URL's first call is throttled with its own Retry-After, then answered.</summary>
    public static ISimServer PerUrlRetryAfter(TimeSpan retryAfter, HostSignal signal = HostSignal.Throttled)
        => new Lambda((_, attempt, _) => attempt == 1 ? new SimAnswer(signal, retryAfter, Fast) : SimAnswer.Ok(Fast));

    /// <summary>A token bucket of <paramref name="rate"/> per second: beyond it, 429 with Retry-After in whole seconds.</summary>
    public static ISimServer TokenBucket(double rate, double burst) => new Bucket(rate, burst);

    /// <summary>Everything is throttled with Retry-After until <paramref name="until"/>, then answered.</summary>
    public static ISimServer Outage(TimeSpan until, TimeSpan retryAfter)
        => new Lambda((_, _, now) => now < until ? new SimAnswer(HostSignal.Throttled, retryAfter, Fast) : SimAnswer.Ok(Fast));

    /// <summary>Every <paramref name="every"/>-th URL always fails (503 without Retry-After); the rest are answered.</summary>
    public static ISimServer FailingUrls(int every)
        => new Lambda((url, _, _) => url % every == 0 ? new SimAnswer(HostSignal.Failed, null, Fast) : SimAnswer.Ok(Fast));

    /// <summary>Every URL's first call hangs; its retries are answered at once.</summary>
    public static ISimServer FirstCallHangs()
        => new Lambda((_, attempt, _) => attempt == 1 ? SimAnswer.Hang : SimAnswer.Ok(Fast));

    /// <summary>Nothing is ever answered.</summary>
    public static ISimServer NeverAnswers() => new Lambda((_, _, _) => SimAnswer.Hang);

    /// <summary>Every call fails until <paramref name="until"/> (503 without Retry-After), then is answered.</summary>
    public static ISimServer DownUntil(TimeSpan until)
        => new Lambda((_, _, now) => now < until ? new SimAnswer(HostSignal.Failed, null, Fast) : SimAnswer.Ok(Fast));

    /// <summary>At most <paramref name="capacity"/> requests in service at once for <paramref name="service"/>; beyond, 503 at once.</summary>
    public static ISimServer Capacity(int capacity, TimeSpan service) => new CapacityServer(capacity, service);

    /// <summary>Fails a share of all calls at random (503 without Retry-After), whatever the load; answers the rest.</summary>
    public static ISimServer Flaky(double share, TimeSpan latency, int seed = 7)
    {
        var random = new Random(seed);
        return new Lambda((_, _, _) => random.NextDouble() < share ? new SimAnswer(HostSignal.Failed, null, latency) : SimAnswer.Ok(latency));
    }

    private sealed class CapacityServer(int capacity, TimeSpan service) : ISimServer
    {
        private readonly List<TimeSpan> _inService = [];

        public int Refused { get; private set; }

        public SimAnswer Answer(int url, int attempt, TimeSpan now)
        {
            _inService.RemoveAll(end => end <= now);
            if (_inService.Count >= capacity)
            {
                Refused++;
                return new SimAnswer(HostSignal.Failed, null, TimeSpan.Zero);
            }

            _inService.Add(now + service);
            return SimAnswer.Ok(service);
        }
    }

    private sealed class Lambda(Func<int, int, TimeSpan, SimAnswer> answer) : ISimServer
    {
        public SimAnswer Answer(int url, int attempt, TimeSpan now) => answer(url, attempt, now);
    }

    private sealed class Bucket(double rate, double capacity) : ISimServer
    {
        private double _tokens = double.NaN;
        private TimeSpan _last;

        public SimAnswer Answer(int url, int attempt, TimeSpan now)
        {
            _tokens = double.IsNaN(_tokens) ? capacity : Math.Min(capacity, _tokens + ((now - _last).TotalSeconds * rate));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens--;
                return SimAnswer.Ok(Fast);
            }

            return new SimAnswer(HostSignal.Throttled, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((1 - _tokens) / rate))), Fast);
        }
    }
}
