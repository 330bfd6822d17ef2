namespace Reprise.Chaos.Faults;

/// <summary>The latest Retry-After a group (a rate limit or an outage) has given, to count requests arriving before it.</summary>
internal sealed class RetryAfterClock
{
    private long _dueTicks;

    /// <summary>Whether a Retry-After given by the group is still running at <paramref name="nowTicks"/> (UTC).</summary>
    public bool IsRunning(long nowTicks) => nowTicks < Interlocked.Read(ref _dueTicks);

    public void Given(long dueTicks) => InterlockedMax.RaiseTo(ref _dueTicks, dueTicks);

    public void Clear() => Interlocked.Exchange(ref _dueTicks, 0);
}
