namespace Reprise.Chaos.Faults;

/// <summary>What a route remembers about one key: how many calls it made and the last Retry-After given to it.</summary>
internal sealed class KeyState
{
    private long _calls;
    private long _retryDueTicks;

    /// <summary>Counts a call and returns its number, 1 for the first.</summary>
    public long NextCall() => Interlocked.Increment(ref _calls);

    /// <summary>Whether a request arriving at <paramref name="nowTicks"/> (UTC) is before a Retry-After given to the key passed.</summary>
    public bool IsEarly(long nowTicks) => nowTicks < Interlocked.Read(ref _retryDueTicks);

    /// <summary>Records a Retry-After given to the key, due at <paramref name="dueTicks"/> (UTC).</summary>
    public void RetryAfterGiven(long dueTicks) => InterlockedMax.RaiseTo(ref _retryDueTicks, dueTicks);
}
