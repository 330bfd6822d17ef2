namespace Reprise.Retry;

/// <summary>
/// The two caps on a wait a server asks for (<c>Retry-After</c>), in one rule: above <c>MaxRetryAfter</c> the request
/// ends (<see cref="RetryStopReason.RetryAfterTooLong"/>); for the host, the wait is capped by both
/// <c>MaxRetryAfter</c> and <c>MaxPause</c> (the host pause and the circuit's open interval).
/// </summary>
/// <param name="EndsRequest">Whether the request ends because the server asked for too long a wait.</param>
/// <param name="ForHost">The wait the host takes in (pause, open interval); null when the server asked for none.</param>
internal readonly record struct ServerWait(bool EndsRequest, TimeSpan? ForHost)
{
    /// <summary>Stands for the limit a caller does not own (the host has no <c>MaxRetryAfter</c>, the request no <c>MaxPause</c>).</summary>
    public static readonly TimeSpan NoLimit = TimeSpan.MaxValue;

    /// <summary>Rules on the wait a server asked for, given the request's and the host's limits.</summary>
    /// <param name="asked">The wait the server asked for, uncapped; null when none.</param>
    /// <param name="maxRetryAfter">The longest wait a request accepts (<see cref="RepriseOptions.MaxRetryAfter"/>).</param>
    /// <param name="maxPause">The longest the host pauses (<see cref="Hosts.HostCoordinationOptions.MaxPause"/>).</param>
    public static ServerWait Of(TimeSpan? asked, TimeSpan maxRetryAfter, TimeSpan maxPause)
    {
        if (asked is not { } wait || wait <= TimeSpan.Zero)
        {
            return default;
        }

        var cap = maxRetryAfter < maxPause ? maxRetryAfter : maxPause;
        var forHost = wait > cap ? cap : wait;
        return new ServerWait(wait > maxRetryAfter, forHost > TimeSpan.Zero ? forHost : null);
    }
}
