namespace Reprise.Hosts.Evidence;

/// <summary>What a request tells its host about its own attempts when it asks to send the next one.</summary>
/// <param name="Key">The request's key (its URL's attempts share it), or 0 for none: then the host takes every outcome as its own.</param>
/// <param name="Attempt">The attempt about to be sent (1 for the first), or 0 when unknown.</param>
/// <param name="Previous">The outcome of the request's previous attempt, or null.</param>
/// <param name="AfterOwnWait">Whether the previous attempt was throttled with a Retry-After and the request waited all of it.</param>
/// <param name="FirstFailedAt">When the request's first failed attempt ended (registry time), or null when none failed.</param>
internal readonly record struct UrlHistory(long Key, int Attempt, HostSignal? Previous, bool AfterOwnWait, TimeSpan? FirstFailedAt)
{
    /// <summary>Gets whether the request has sent an attempt before this one.</summary>
    public bool AlreadySent => Attempt > 1;

    /// <summary>Gets the history of a request's first attempt.</summary>
    public static UrlHistory First(long key) => new(key, 1, null, AfterOwnWait: false, FirstFailedAt: null);

    /// <summary>Gets the history of the request's next attempt, after this one ended with <paramref name="signal"/>.</summary>
    /// <param name="signal">How this attempt ended.</param>
    /// <param name="afterOwnWait">Whether the request will wait all of the Retry-After this attempt got before the next.</param>
    /// <param name="completedAt">When this attempt ended, on the registry's clock.</param>
    public UrlHistory Next(HostSignal signal, bool afterOwnWait, TimeSpan completedAt)
        => new(
            Key,
            Attempt == 0 ? 0 : Attempt + 1,
            signal,
            afterOwnWait && signal == HostSignal.Throttled,
            FirstFailedAt ?? (signal is HostSignal.Failed or HostSignal.TimedOut ? completedAt : null));

    /// <summary>Gets the report of the attempt this history asked for, once it ended.</summary>
    public AttemptReport Report(HostSignal signal, TimeSpan? retryAfter, TimeSpan grantedAt, TimeSpan completedAt, bool isProbe)
        => new(Key, signal, retryAfter, grantedAt, completedAt, isProbe)
        {
            Attempt = Attempt,
            Previous = Previous,
            AfterOwnWait = AfterOwnWait,
            FirstFailedAt = FirstFailedAt,
        };
}
