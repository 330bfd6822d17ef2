namespace Reprise.Timing;

/// <summary>What is left of a request's deadline: the one rule the handler, the bulk engine and the attempt share.</summary>
internal static class RequestDeadline
{
    /// <summary>
    /// Gets the time left of <paramref name="deadline"/> after <paramref name="elapsed"/>: infinite when the request has no
    /// deadline, zero once it has passed, never negative.
    /// </summary>
    public static TimeSpan Remaining(TimeSpan deadline, TimeSpan elapsed)
    {
        if (deadline == Timeout.InfiniteTimeSpan)
        {
            return Timeout.InfiniteTimeSpan;
        }

        return elapsed < deadline ? deadline - elapsed : TimeSpan.Zero;
    }

    /// <summary>Gets whether a wait of <paramref name="delay"/> would reach the deadline, given <paramref name="remaining"/>.</summary>
    public static bool Reaches(TimeSpan delay, TimeSpan remaining) => remaining != Timeout.InfiniteTimeSpan && delay >= remaining;
}
