using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Faults;

/// <summary>Answers a fixed status for a window from start-up or from the first request, then lets everything through.</summary>
internal sealed class OutageGate : Gate
{
    private const long NotStarted = long.MinValue;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly OutageStart _start;
    private readonly Rejection _rejection;
    private long _startTimestamp;

    public OutageGate(ChaosOutageOptions options, TimeProvider time)
    {
        _time = time;
        _duration = TimeSpan.FromMilliseconds(options.DurationMs);
        _start = options.Start;
        _rejection = new Rejection(options.Status, options.RetryAfterSeconds, options.RetryAfterFormat);
        Restart();
    }

    public override bool TryPass(out Rejection rejection)
    {
        var now = _time.GetTimestamp();
        var start = Interlocked.CompareExchange(ref _startTimestamp, now, NotStarted);
        if (start == NotStarted)
        {
            start = now;
        }

        if (_time.GetElapsedTime(start, now) < _duration)
        {
            rejection = _rejection;
            return false;
        }

        rejection = default;
        return true;
    }

    public override void ResetState()
    {
        base.ResetState();
        Restart();
    }

    private void Restart()
        => Interlocked.Exchange(ref _startTimestamp, _start == OutageStart.Startup ? _time.GetTimestamp() : NotStarted);
}
