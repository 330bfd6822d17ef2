using Microsoft.Extensions.Time.Testing;

namespace Reprise.Chaos.Tests;

/// <summary>A <see cref="FakeTimeProvider"/> that also counts the timers created on it, so a test can wait until
/// the server has started a delay before advancing time past it.</summary>
internal sealed class ObservedTimeProvider : TimeProvider
{
    private int _timersCreated;

    public FakeTimeProvider Fake { get; } = new();

    public int TimersCreated => Volatile.Read(ref _timersCreated);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timersCreated);
        return timer;
    }
}
