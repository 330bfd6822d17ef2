namespace Reprise.Chaos;

/// <summary>A maximum kept by many threads at once, without a lock.</summary>
internal static class InterlockedMax
{
    /// <summary>Moves <paramref name="location"/> forward to <paramref name="value"/>, never back.</summary>
    public static void RaiseTo(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
