namespace Reprise.Chaos.Faults;

/// <summary>
/// A stable hash of (seed, purpose, key, call number): the same inputs give the same decision in every
/// process and whatever the interleaving of requests (unlike <see cref="string.GetHashCode()"/> or a shared random).
/// </summary>
internal static class SeededHash
{
    public const ulong FailurePurpose = 1;
    public const ulong FailingKeyPurpose = 2;
    public const ulong LatencyPurpose = 3;

    /// <summary>A number in [0, 1) decided by the inputs.</summary>
    public static double Unit(int seed, ulong purpose, string key, long call)
        => (Hash(seed, purpose, key, call) >> 11) * (1.0 / (1UL << 53));

    public static ulong Hash(int seed, ulong purpose, string key, long call)
    {
        // FNV-1a over the key's UTF-16 units, seeded and finished with SplitMix64's mixer.
        var hash = 14695981039346656037UL ^ Mix(((ulong)(uint)seed << 8) ^ purpose);
        foreach (var c in key)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        return Mix(hash ^ ((ulong)call * 0x9E3779B97F4A7C15UL));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
