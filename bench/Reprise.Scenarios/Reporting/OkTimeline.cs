namespace Reprise.Scenarios.Reporting;

/// <summary>
/// When a client's URLs finished ok: <see cref="Counts"/>[i] URLs between i and i + 1 bins of
/// <see cref="BinSeconds"/> after the run's start (the origin of its wall time).
/// </summary>
internal sealed record OkTimeline(double BinSeconds, int[] Counts)
{
    /// <summary>Gets the ok URLs of the whole timeline.</summary>
    public long Total => Counts.Sum(static n => (long)n);

    /// <summary>
    /// Gets the time from the run's start at which <paramref name="count"/> URLs had finished ok: the end of the bin
    /// that holds the count-th (so at most one bin late); 0 for a count of 0 or less; null if it never got that many.
    /// </summary>
    public double? TimeToReach(long count)
    {
        if (count <= 0)
        {
            return 0;
        }

        long sum = 0;
        for (var i = 0; i < Counts.Length; i++)
        {
            sum += Counts[i];
            if (sum >= count)
            {
                return (i + 1) * BinSeconds;
            }
        }

        return null;
    }

    /// <summary>
    /// Gets how many URLs had finished ok by <paramref name="seconds"/> after the run's start: those in the bins that
    /// end by then (so a bin's worth may be missing, never one too many).
    /// </summary>
    public long OkBy(double seconds)
    {
        // The small slack keeps a time that is a whole number of bins (0.03 / 0.01) from losing its last bin to rounding.
        var bins = (int)Math.Clamp(Math.Floor((seconds / BinSeconds) + 1e-9), 0, Counts.Length);
        return Counts.Take(bins).Sum(static n => (long)n);
    }
}
