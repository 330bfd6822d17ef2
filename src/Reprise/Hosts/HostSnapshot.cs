namespace Reprise.Hosts;

/// <summary>What one host's shared state looked like at one moment: for progress displays and telemetry.</summary>
public sealed class HostSnapshot
{
    internal HostSnapshot(
        string host,
        DateTimeOffset? pausedUntil,
        HostCircuitState circuitState,
        double retryRejectProbability,
        long recentRequests,
        long recentAccepts,
        int concurrencyLimit,
        int inFlight,
        int waiting,
        double? rate)
    {
        Host = host;
        PausedUntil = pausedUntil;
        CircuitState = circuitState;
        RetryRejectProbability = retryRejectProbability;
        RecentRequests = recentRequests;
        RecentAccepts = recentAccepts;
        ConcurrencyLimit = concurrencyLimit;
        InFlight = inFlight;
        Waiting = waiting;
        Rate = rate;
    }

    /// <summary>Gets the host as scheme, host and port, e.g. <c>https://api.example.com:443</c>.</summary>
    public string Host { get; }

    /// <summary>
    /// Gets when the host's pause ends (a server's Retry-After, or the next probe of an open circuit),
    /// or <see langword="null"/> when it is not paused.
    /// </summary>
    public DateTimeOffset? PausedUntil { get; }

    /// <summary>Gets the state of the host's circuit breaker.</summary>
    public HostCircuitState CircuitState { get; }

    /// <summary>
    /// Gets the probability with which a retry to this host is held back now: 0 while the host accepts enough
    /// requests (the retry budget is not exhausted), close to 1 when it fails nearly everything.
    /// </summary>
    public double RetryRejectProbability { get; }

    /// <summary>Gets the requests counted in the retry throttle's window.</summary>
    public long RecentRequests { get; }

    /// <summary>Gets the requests the host accepted in the retry throttle's window.</summary>
    public long RecentAccepts { get; }

    /// <summary>Gets the current in-flight limit.</summary>
    public int ConcurrencyLimit { get; }

    /// <summary>Gets how many requests to the host are in flight.</summary>
    public int InFlight { get; }

    /// <summary>Gets how many requests wait for the host (pause, circuit, retry throttle or limits).</summary>
    public int Waiting { get; }

    /// <summary>Gets the adapted send rate in requests per second, or <see langword="null"/> while none is engaged.</summary>
    public double? Rate { get; }
}
