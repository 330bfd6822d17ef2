namespace Reprise.Redis;

/// <summary>
/// Spending leased tokens of a shared rate (pure decisions over a view's token runs; the caller holds its lock). A
/// token is spent no earlier than its time, and one whose time passed by more than the burst allows is dropped
/// unspent, so tokens leased but not needed never come back as a burst.
/// </summary>
internal static class TokenLease
{
    /// <summary>How many tokens one lease asks for: the rate times the lease-ahead time, at least one.</summary>
    public static int BatchSize(double perSecond, TimeSpan leaseAhead) =>
        (int)Math.Clamp(Math.Ceiling(perSecond * leaseAhead.TotalSeconds), 1, 100_000);

    /// <summary>Takes one token at <paramref name="now"/> if one is due.</summary>
    /// <param name="view">The host's view (its lock held).</param>
    /// <param name="now">Unix ms.</param>
    /// <param name="intervalMs">The rate's interval between tokens.</param>
    /// <param name="burst">The shared burst.</param>
    /// <param name="leaseAheadMs">How far ahead leases reach: a new lease is asked for when less than a quarter of it is left (each lease then brings about three quarters of it).</param>
    public static TakeResult TryTake(SharedHostView view, double now, double intervalMs, int burst, double leaseAheadMs)
    {
        var tokens = view.Tokens;
        double oldest = now - (burst * intervalMs);
        while (tokens.Count > 0)
        {
            var run = tokens[0];
            if (run.Next >= oldest)
            {
                break;
            }

            // Drop the stale part of the run.
            int stale = (int)Math.Min(run.Count, Math.Ceiling((oldest - run.Next) / intervalMs));
            run.Count -= stale;
            run.Next += stale * intervalMs;
            ReplaceHead(tokens, run);
        }

        bool taken = false;
        double waitMs;
        if (tokens.Count > 0 && tokens[0].Next <= now)
        {
            var run = tokens[0];
            run.Count--;
            run.Next += intervalMs;
            ReplaceHead(tokens, run);
            taken = true;
        }

        waitMs = tokens.Count > 0 ? tokens[0].Next - now : Math.Max(view.NextLeaseAt - now, 1);
        return new TakeResult(taken, LeasedUntil(tokens, intervalMs) - now < leaseAheadMs / 4, waitMs);
    }

    /// <summary>Takes in a lease's answer: <paramref name="count"/> tokens from <paramref name="value"/>, or none and a wait of <paramref name="value"/> ms.</summary>
    public static void Apply(SharedHostView view, int count, double value, double askedAt)
    {
        if (count <= 0)
        {
            view.NextLeaseAt = askedAt + Math.Max(value, 1);
            return;
        }

        view.NextLeaseAt = 0;
        view.Tokens.Add(new TokenRun { Next = value, Count = count });
    }

    /// <summary>The time after the last leased token (the start of what is not leased yet).</summary>
    private static double LeasedUntil(List<TokenRun> tokens, double intervalMs)
    {
        double until = double.MinValue;
        foreach (var run in tokens)
        {
            until = Math.Max(until, run.Next + (run.Count * intervalMs));
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
