using System.Diagnostics;

namespace Reprise.Backoff;

/// <summary>Computes the wait before a retry. Pure: randomness comes in as a draw from [0, 1).</summary>
internal static class BackoffCalculator
{
    /// <summary>Computes the wait before retry number <paramref name="retry"/> (1 for the first retry).</summary>
    /// <param name="type">The backoff type.</param>
    /// <param name="retry">The retry number, 1-based.</param>
    /// <param name="baseDelay">The base delay.</param>
    /// <param name="maxDelay">The cap on any one wait.</param>
    /// <param name="previous">The previous wait (decorrelated jitter only); zero before the first retry.</param>
    /// <param name="random">A source of uniform draws from [0, 1).</param>
    /// <returns>The wait, never negative and never above <paramref name="maxDelay"/>.</returns>
    public static TimeSpan Compute(BackoffType type, int retry, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan previous, Func<double> random)
    {
        Debug.Assert(retry >= 1, "Retries are numbered from 1.");
        Debug.Assert(baseDelay >= TimeSpan.Zero && maxDelay >= baseDelay, "Options are validated.");

        var baseTicks = (double)baseDelay.Ticks;
        var maxTicks = (double)maxDelay.Ticks;
        var ticks = type switch
        {
            BackoffType.Constant => baseTicks,
            BackoffType.Linear => baseTicks * retry,
            BackoffType.Exponential => Exponential(baseTicks, retry),
            BackoffType.ExponentialWithJitter => Math.Min(Exponential(baseTicks, retry), maxTicks) * random(),
            BackoffType.DecorrelatedJitter => Decorrelated(baseTicks, previous.Ticks, random()),
            _ => throw new UnreachableException(),
        };

        // Doubles saturate to +Infinity instead of wrapping, so attempt 60 (or 6,000) lands on the cap.
        return TimeSpan.FromTicks((long)Math.Clamp(ticks, 0, maxTicks));
    }

    private static double Exponential(double baseTicks, int retry) => baseTicks * Math.Pow(2, retry - 1);

    private static double Decorrelated(double baseTicks, double previousTicks, double draw)
    {
        // AWS Architecture Blog, "Exponential Backoff And Jitter": sleep = min(cap, random_between(base, sleep * 3)).
        var upper = Math.Max(baseTicks, previousTicks * 3);
        return baseTicks + ((upper - baseTicks) * draw);
    }
}
