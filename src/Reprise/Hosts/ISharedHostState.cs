namespace Reprise.Hosts;

/// <summary>
/// Shares what a registry learns about each host with other processes (for example through Redis, with the
/// <c>Reprise.Redis</c> package): the pause, the circuit and its single probe, and a shared send rate. The registry
/// consults it on every ask to send, under the host's lock, so an implementation answers from a local cache and never
/// blocks; whatever it exchanges with other processes happens in the background.
/// </summary>
/// <remarks>
/// Set it with <see cref="HostCoordinationOptions.SharedState"/>; null (the default) shares nothing. The local gates
/// still apply: a host passes the shared view first, then its own pause, circuit, retry throttle and limits. Concurrency
/// limits stay per process.
/// </remarks>
public interface ISharedHostState
{
    /// <summary>Asks whether the host may be sent to now as far as other processes know (their pause, an open circuit).</summary>
    /// <param name="host">The host as <c>scheme://host:port</c>.</param>
    /// <returns>The verdict and, when refused, how long to wait before asking again.</returns>
    SharedHostDecision Check(string host);

    /// <summary>Takes one token of the host's shared send rate, once the local gates have let a request through.</summary>
    /// <param name="host">The host as <c>scheme://host:port</c>.</param>
    /// <param name="rate">The host's rate in requests per second (its adapted or fixed rate), or null when it has none: then every request passes.</param>
    /// <param name="retryAfter">When refused, how long to wait before asking again.</param>
    /// <returns>Whether the request may be sent.</returns>
    bool TryTakeToken(string host, double? rate, out TimeSpan retryAfter);

    /// <summary>
    /// Gets the host's retry-throttle counts summed over every process (requests and accepts over the window), when
    /// they are fresh; the retry throttle then decides on them instead of this process's own counts.
    /// </summary>
    /// <param name="host">The host as <c>scheme://host:port</c>.</param>
    /// <param name="requests">The requests of every process over the window, this process's latest included.</param>
    /// <param name="accepts">The accepted requests of every process over the window.</param>
    /// <returns>Whether the counts are fresh; when false (never read, stale, or the shared store is down) the local counts decide.</returns>
    bool TryGetRetryCounts(string host, out long requests, out long accepts)
    {
        requests = accepts = 0;
        return false;
    }

    /// <summary>
    /// Gets how many times this process's own send rate to the host every process together sends (1 when this process
    /// sends alone, or when that is not known). The adaptive rate multiplies what it measures by it, so that the rate it
    /// adapts, and hands to <see cref="TryTakeToken"/>, is the host's whole rate rather than this process's share of it.
    /// </summary>
    /// <param name="host">The host as <c>scheme://host:port</c>.</param>
    /// <returns>A factor of at least 1.</returns>
    double GetSendRateFactor(string host) => 1;

    /// <summary>Tells what one attempt showed about the host, after the registry took it in.</summary>
    /// <param name="host">The host as <c>scheme://host:port</c>.</param>
    /// <param name="report">The outcome and what it changed locally.</param>
    void Report(string host, SharedHostReport report);
}
