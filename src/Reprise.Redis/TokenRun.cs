namespace Reprise.Redis;

/// <summary>
/// Leased tokens of a shared rate: <see cref="Count"/> tokens, the first usable at <see cref="Next"/> (Unix ms), then one
/// per <see cref="Interval"/> (ms, the shared rate's when they were leased).
/// </summary>
internal struct TokenRun
{
    public double Next;
    public int Count;
    public double Interval;
}
