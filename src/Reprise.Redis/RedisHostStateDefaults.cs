namespace Reprise.Redis;

/// <summary>The defaults of <see cref="RedisHostStateOptions"/>, in one place.</summary>
internal static class RedisHostStateDefaults
{
    public const string KeyPrefix = "reprise";
    public const int RateBurst = 1;
    public const int ThrottleBuckets = 10;

    public static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan CacheValidity = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ProbeLeaseTime = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan TokenLeaseAhead = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan RejoinInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RetryThrottlingWindow = TimeSpan.FromMinutes(1);

    /// <summary>How long the process whose rate is the host's shared rate keeps the lead when it stops leasing tokens.</summary>
    public static readonly TimeSpan RateLeadTime = TimeSpan.FromSeconds(1);

    /// <summary>How long an open circuit's key outlives its next probe time: a circuit nobody probes is forgotten then.</summary>
    public static readonly TimeSpan CircuitKeySlack = TimeSpan.FromMinutes(5);

    /// <summary>How long a pause key outlives the pause (clocks of processes differ a little).</summary>
    public static readonly TimeSpan PauseKeySlack = TimeSpan.FromSeconds(5);

    /// <summary>The probe interval of the shared circuit when the server named none: 1 s, doubling per failed probe up to 30 s.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxProbeInterval = TimeSpan.FromSeconds(30);
}
