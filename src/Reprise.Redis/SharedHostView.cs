namespace Reprise.Redis;

/// <summary>
/// One host's shared state as this process knows it: the cache read from Redis (or heard on the channel), what this
/// process learned that Redis has not taken yet, its leased rate tokens and its probe. Times are Unix milliseconds.
/// </summary>
/// <remarks>Guarded by <see cref="Lock"/>; nothing under it waits or calls back into a registry.</remarks>
internal sealed class SharedHostView
{
    private long _circuitOpenUntil;

    public SharedHostView(string host) => Host = host;

    public string Host { get; }

    public Lock Lock { get; } = new();

    /// <summary>Gets or sets when the shared pause ends (0: none).</summary>
    public long PausedUntil { get; set; }

    /// <summary>Gets or sets the next probe time of the open shared circuit (0: closed).</summary>
    public long CircuitOpenUntil
    {
        get => _circuitOpenUntil;
        set
        {
            _circuitOpenUntil = value;
            CircuitChanges++;
        }
    }

    /// <summary>
    /// Gets how often <see cref="CircuitOpenUntil"/> was set: a sync whose read began before a change (a message, this
    /// process's own report) must not undo it with the older value it read.
    /// </summary>
    public int CircuitChanges { get; private set; }

    /// <summary>Gets or sets how long the shared circuit last opened for: what the next failed probe doubles.</summary>
    public long CircuitIntervalMs { get; set; }

    /// <summary>Gets or sets when the cache was last read from Redis.</summary>
    public long SyncedAt { get; set; }

    public bool SyncInFlight { get; set; }

    /// <summary>Gets or sets when this process first read the host's shared state (0: not yet).</summary>
    public long FirstSyncAt { get; set; }

    /// <summary>Gets or sets how many processes sent to the host lately, as last read (this one included).</summary>
    public int Present { get; set; }

    /// <summary>Gets or sets when this process may next ask for the probe lease.</summary>
    public long NextProbeAskAt { get; set; }

    public bool ProbeAskInFlight { get; set; }

    /// <summary>Gets or sets whether this process holds the probe lease.</summary>
    public bool HoldsProbe { get; set; }

    /// <summary>Gets or sets when this process sent its probe (0: not yet); its lease lapses after the lease time.</summary>
    public long ProbeSentAt { get; set; }

    /// <summary>Gets or sets whether a pause or an open circuit was learned while Redis was down, to merge on rejoin.</summary>
    public bool Unshared { get; set; }

    /// <summary>Gets or sets the retry-throttle counts not yet added to Redis.</summary>
    public long PendingRequests { get; set; }

    public long PendingAccepts { get; set; }

    /// <summary>Gets this process's own requests in the shared counters' buckets.</summary>
    public RequestBuckets OwnRequests { get; } = new(RedisHostStateDefaults.ThrottleBuckets);

    /// <summary>Gets or sets the requests and accepts of every process over the window, as last read.</summary>
    public long SharedRequests { get; set; }

    public long SharedAccepts { get; set; }

    /// <summary>Gets or sets when <see cref="SharedRequests"/> and <see cref="SharedAccepts"/> were read (0: never).</summary>
    public long CountsReadAt { get; set; }

    /// <summary>Gets the leased rate tokens: runs of tokens one interval apart, oldest first (Unix ms, fractional).</summary>
    public List<TokenRun> Tokens { get; } = [];

    public bool LeaseInFlight { get; set; }

    /// <summary>Gets or sets when Redis said the next token could be leased.</summary>
    public double NextLeaseAt { get; set; }

    /// <summary>Gets or sets the rate this process last asked a token at (requests/s).</summary>
    public double LastRate { get; set; }

    /// <summary>Gets or sets whether this process lowered its rate since its last lease: its rate then leads every process's.</summary>
    public bool RateLowered { get; set; }

    /// <summary>Gets or sets whether this process saw the host throttle since its last lease.</summary>
    public bool ThrottledSinceLease { get; set; }

    /// <summary>Gets or sets this process's last known share of the host's sends, as a factor (1: alone).</summary>
    public double SendFactor { get; set; } = 1;

    public long LastUsed { get; set; }
}
