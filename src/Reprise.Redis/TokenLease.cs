namespace Reprise.Redis;

/// <summary>
/// Spending leased tokens of a shared rate (pure decisions over a view's token runs; the caller holds its lock). A
/// token is spent no earlier than its time, and one whose time passed by more than the burst allows is dropped
/// unspent, so tokens leased but not needed never come back as a burst.
/// </summary>
internal static class TokenLease
{
    /// <summary>The fewest tokens a lease asks for: at most one round trip per this many requests while the rate binds.</summary>
    public const int MinLeaseTokens = 32;

    /// <summary>The longest span of one lease, in lease-ahead horizons: a process never holds more than this much of the rate in one lease.</summary>
    public const double MaxSpanFactor = 2.5;

    /// <summary>How far ahead of now a lease may reach, in lease-ahead horizons: room for every process's lease ahead of one's own.</summary>
    public const double ReachFactor = 5;

    /// <summary>
    /// How long after one process lowered the shared rate another's lowering is taken as an answer to the same throttles
    /// and follows the lead instead of lowering it again: the reach (<see cref="ReachFactor"/> horizons), since a token
    /// leased just before the lowering may be spent that much later, at the old rate, and be throttled.
    /// </summary>
    /// <param name="leaseAheadMs">The lease-ahead horizon (ms).</param>
    public static double SettleTime(double leaseAheadMs) => ReachFactor * leaseAheadMs;

    /// <summary>
    /// How many tokens one lease grants at the shared rate's interval (the lease script computes the same): the
    /// lease-ahead horizon's worth, at least <see cref="MinLeaseTokens"/> (so that leases at a rate shared by several
    /// processes are not a few tokens each), at most <see cref="MaxSpanFactor"/> horizons' worth (so that at a low rate
    /// one process never holds much of it), and at least one.
    /// </summary>
    /// <param name="intervalMs">The shared rate's interval (ms per token).</param>
    /// <param name="leaseAheadMs">The lease-ahead horizon (ms).</param>
    public static int LeaseSize(double intervalMs, double leaseAheadMs)
    {
        double byTime = Math.Ceiling(leaseAheadMs / intervalMs);
        double most = Math.Max(1, Math.Floor(MaxSpanFactor * leaseAheadMs / intervalMs));
        return (int)Math.Min(Math.Max(byTime, MinLeaseTokens), most);
    }

    /// <summary>Takes one token at <paramref name="now"/> if one is due.</summary>
    /// <param name="view">The host's view (its lock held).</param>
    /// <param name="now">Unix ms.</param>
    /// <param name="burst">The shared burst.</param>
    /// <param name="leaseAheadMs">How far ahead leases reach: a new lease is asked for when less than a quarter of it is left (each lease then brings about three quarters of it).</param>
    public static TakeResult TryTake(SharedHostView view, double now, int burst, double leaseAheadMs)
    {
        var tokens = view.Tokens;
        while (tokens.Count > 0)
        {
            var run = tokens[0];
            double oldest = now - (burst * run.Interval);
            if (run.Next >= oldest)
            {
                break;
            }

            // Drop the stale part of the run.
            int stale = (int)Math.Min(run.Count, Math.Ceiling((oldest - run.Next) / run.Interval));
            run.Count -= stale;
            run.Next += stale * run.Interval;
            ReplaceHead(tokens, run);
        }

        bool taken = false;
        double waitMs;
        if (tokens.Count > 0 && tokens[0].Next <= now)
        {
            var run = tokens[0];
            run.Count--;
            run.Next += run.Interval;
            ReplaceHead(tokens, run);
            taken = true;
        }

        waitMs = tokens.Count > 0 ? tokens[0].Next - now : Math.Max(view.NextLeaseAt - now, 1);
        return new TakeResult(taken, LeasedUntil(tokens) - now < leaseAheadMs / 4, waitMs);
    }

    /// <summary>
    /// Takes in a lease's answer: <paramref name="count"/> tokens from <paramref name="value"/>, one per
    /// <paramref name="intervalMs"/>, or none and a wait of <paramref name="value"/> ms.
    /// </summary>
    public static void Apply(SharedHostView view, int count, double value, double intervalMs, double askedAt)
    {
        if (count <= 0)
        {
            view.NextLeaseAt = askedAt + Math.Max(value, 1);
            return;
        }

        view.NextLeaseAt = 0;
        view.Tokens.Add(new TokenRun { Next = value, Count = count, Interval = intervalMs });
    }

    /// <summary>
    /// While Redis is down: tokens of this process's own, one per <paramref name="intervalMs"/> (its share of the shared
    /// rate), from the end of what it holds (or now) to the lease-ahead horizon.
    /// </summary>
    public static void LeaseLocally(SharedHostView view, double now, double intervalMs, double leaseAheadMs)
    {
        double from = Math.Max(now, LeasedUntil(view.Tokens));
        int count = (int)Math.Min(100_000, Math.Floor((now + leaseAheadMs - from) / intervalMs) + 1);
        if (count > 0)
        {
            Apply(view, count, from, intervalMs, now);
        }
    }

    /// <summary>The time after the last leased token (the start of what is not leased yet).</summary>
    private static double LeasedUntil(List<TokenRun> tokens)
    {
        double until = double.MinValue;
        foreach (var run in tokens)
        {
            until = Math.Max(until, run.Next + (run.Count * run.Interval));
        }

        return until;
    }

    private static void ReplaceHead(List<TokenRun> tokens, TokenRun run)
    {
        if (run.Count <= 0)
        {
            tokens.RemoveAt(0);
        }
        else
        {
            tokens[0] = run;
        }
    }

    /// <summary>Whether a token was taken, whether to lease more now, and how long until the next token.</summary>
    internal readonly record struct TakeResult(bool Taken, bool Refill, double WaitMs);
}
