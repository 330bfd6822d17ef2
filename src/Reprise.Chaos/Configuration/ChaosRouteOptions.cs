namespace Reprise.Chaos.Configuration;

/// <summary>
/// One route of a chaos host: the requests whose path starts with <see cref="Path"/> (on a segment
/// boundary) and how they misbehave.
/// </summary>
/// <remarks>
/// A request first passes the host's and the route's outage and rate limit; those answers do not count
/// as calls of the key. Then the key's call number n (1, 2, ...) decides the outcome: the
/// <see cref="Sequence"/> entry (or <see cref="Status"/>), overridden by a seeded failure
/// (<see cref="FailingKeyFraction"/>, <see cref="FailureProbability"/>), overridden by a hang
/// (<see cref="Hang"/>, <see cref="HangFirst"/>). Latency comes before any answer.
/// </remarks>
public sealed class ChaosRouteOptions
{
    /// <summary>Gets or sets the path prefix the route serves: <c>/flaky</c> serves <c>/flaky</c> and <c>/flaky/123</c>.</summary>
    /// <value>The default value is <c>/</c>, which serves every path. The longest matching prefix wins.</value>
    public string Path { get; set; } = ChaosDefaults.RoutePath;

    /// <summary>Gets or sets the status of every answer, unless a sequence or a fault decides otherwise.</summary>
    /// <value>The default value is 200.</value>
    public int Status { get; set; } = ChaosDefaults.Status;

    /// <summary>
    /// Gets or sets the outcomes of a key's calls in order, comma separated: a status (<c>503</c>),
    /// <c>reset</c>, <c>hang</c> or <c>cut</c> (a body cut short). The last entry repeats.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: every call gets <see cref="Status"/>.</value>
    /// <example><c>503,503,200</c>: the key's first two calls fail, then it succeeds.</example>
    public string? Sequence { get; set; }

    /// <summary>Gets or sets what identifies a key.</summary>
    /// <value>The default value is <see cref="ChaosKeyMode.Path"/>.</value>
    public ChaosKeyMode Key { get; set; }

    /// <summary>Gets or sets the seed of every seeded decision of the route (failures, random latency).</summary>
    /// <value>The default value is 0. The n-th call of a key gets the same decision for the same seed, whatever the interleaving.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the probability that a call fails with <see cref="FailureStatus"/>.</summary>
    /// <value>The default value is 0. Between 0 and 1.</value>
    public double FailureProbability { get; set; }

    /// <summary>Gets or sets the fraction of keys that fail their first <see cref="FailingKeyAttempts"/> calls with <see cref="FailureStatus"/>.</summary>
    /// <value>The default value is 0. Between 0 and 1; which keys fail is decided by the seed.</value>
    public double FailingKeyFraction { get; set; }

    /// <summary>Gets or sets how many first calls of a failing key fail (see <see cref="FailingKeyFraction"/>).</summary>
    /// <value>The default value is 1. At least 1.</value>
    public int FailingKeyAttempts { get; set; } = ChaosDefaults.FailingKeyAttempts;

    /// <summary>Gets or sets the status of seeded failures.</summary>
    /// <value>The default value is 503.</value>
    public int FailureStatus { get; set; } = ChaosDefaults.FailureStatus;

    /// <summary>Gets or sets the <c>Retry-After</c> header on chosen responses.</summary>
    /// <value>The default value is <see langword="null"/>: no <c>Retry-After</c> from the route itself.</value>
    public ChaosRetryAfterOptions? RetryAfter { get; set; }

    /// <summary>Gets or sets the delay before every answer, in milliseconds.</summary>
    /// <value>The default value is 0. With <see cref="LatencyMaxMs"/>, the lower bound of a seeded random delay.</value>
    public int LatencyMs { get; set; }

    /// <summary>Gets or sets the upper bound of a seeded random delay, in milliseconds.</summary>
    /// <value>The default value is <see langword="null"/>: the delay is exactly <see cref="LatencyMs"/>. At least <see cref="LatencyMs"/>.</value>
    public int? LatencyMaxMs { get; set; }

    /// <summary>Gets or sets a value indicating whether every call hangs: no answer until the client disconnects.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Hang { get; set; }

    /// <summary>Gets or sets how many first calls of each key hang ("a hung first attempt").</summary>
    /// <value>The default value is 0.</value>
    public int HangFirst { get; set; }

    /// <summary>Gets or sets a value indicating whether every call has its connection reset before any answer.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Reset { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether every answer is cut short: its <c>Content-Length</c> is
    /// <see cref="BodySize"/> (or 1024 when that is 0), half of it is sent, then the connection is aborted.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CutShort { get; set; }

    /// <summary>Gets or sets the speed at which bodies are sent, in bytes per second.</summary>
    /// <value>The default value is 0: bodies are sent at once.</value>
    public int TrickleBytesPerSecond { get; set; }

    /// <summary>Gets or sets the size of every body, in bytes (deterministic ASCII bytes).</summary>
    /// <value>The default value is 0: empty bodies. At most 1 GiB.</value>
    public int BodySize { get; set; }

    /// <summary>
    /// Gets or sets the <c>Location</c> header of every answer, for redirects: an absolute URL or a path. <c>{n}</c>
    /// in it is replaced by the key's call number, so <c>/chain/{n}</c> with <see cref="ChaosKeyMode.Route"/> leads
    /// to a new URL on every call.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no <c>Location</c>.</value>
    public string? Location { get; set; }

    /// <summary>
    /// Gets or sets the credentials, <c>user:password</c>, the route asks for with HTTP Basic authentication: a
    /// request without them gets 401 with <c>WWW-Authenticate: Basic</c> (and counts as a call of its key).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no authentication.</value>
    public string? BasicAuth { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the body is sent gzip-compressed (<c>Content-Encoding: gzip</c>, no
    /// <c>Content-Length</c>); <see cref="BodySize"/> counts the bytes before compression, so a small answer can
    /// decompress to a gibibyte.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Gzip { get; set; }

    /// <summary>
    /// Gets or sets the exact bytes of every answer (status line, headers, body), written raw to the connection,
    /// which is then closed: what no well-behaved server would send, such as a negative <c>Content-Length</c> or a
    /// status line with control characters. Each character is one byte (ISO-8859-1).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: a normal answer.</value>
    /// <remarks>Other fields of the route are ignored. Served on the connection's first request only: a later
    /// request on a reused connection that reaches the route has its connection closed before any answer.</remarks>
    public string? Raw { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether every call has its connection closed (FIN, not a reset) before any
    /// answer.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Close { get; set; }

    /// <summary>Gets or sets a token-bucket rate limit of this route alone.</summary>
    /// <value>The default value is <see langword="null"/>: no route rate limit.</value>
    public ChaosRateLimitOptions? RateLimit { get; set; }

    /// <summary>Gets or sets an outage window of this route alone.</summary>
    /// <value>The default value is <see langword="null"/>: no route outage.</value>
    public ChaosOutageOptions? Outage { get; set; }
}
