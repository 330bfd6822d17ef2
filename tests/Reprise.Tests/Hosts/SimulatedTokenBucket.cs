namespace Reprise.Tests.Hosts;

/// <summary>
/// A simulated server's rate limit, on fake time: a token bucket that refills at a rate per second up to a burst, and
/// the Retry-After it answers a refused request with.
/// </summary>
internal sealed class SimulatedTokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _burst;
    private double _tokens;
    private DateTimeOffset _lastFill;

    public SimulatedTokenBucket(TimeProvider time, double rate, double burst)
    {
        _time = time;
        _rate = rate;
        _burst = burst;
        _tokens = burst;
        _lastFill = time.GetUtcNow();
    }

    /// <summary>Takes a token when one is there.</summary>
    public bool TryTake()
    {
        var now = _time.GetUtcNow();
        _tokens = Math.Min(_burst, _tokens + ((now - _lastFill).TotalSeconds * _rate));
        _lastFill = now;
        if (_tokens >= 1)
        {
            _tokens--;
            return true;
        }

        return false;
    }

    /// <summary>Gets the Retry-After in delta-seconds: the time until the next token, rounded up to a whole second.</summary>
    public TimeSpan RetryAfter() => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((1 - _tokens) / _rate)));
}
