namespace Reprise.Chaos.Configuration;

/// <summary>One chaos host: a port of its own on 127.0.0.1, its routes and its statistics.</summary>
/// <remarks>Reprise treats scheme, host and port as one host, so each chaos host is a separate host to a client.</remarks>
public sealed class ChaosHostOptions
{
    /// <summary>Gets or sets the name the host is found by in <see cref="ChaosServer.Hosts"/>.</summary>
    /// <value>The default value is <c>default</c>. Unique within a server.</value>
    public string Name { get; set; } = ChaosDefaults.HostName;

    /// <summary>Gets or sets the port to listen on.</summary>
    /// <value>The default value is 0: a free port chosen by the system, reported by <see cref="ChaosHost.Port"/>.</value>
    public int Port { get; set; }

    /// <summary>Gets or sets the routes of the host. A request no route serves gets 404.</summary>
    /// <value>The default value is empty.</value>
    public IList<ChaosRouteOptions> Routes { get; set; } = [];

    /// <summary>Gets or sets a token-bucket rate limit shared by every route of the host.</summary>
    /// <value>The default value is <see langword="null"/>: no host rate limit.</value>
    public ChaosRateLimitOptions? RateLimit { get; set; }

    /// <summary>Gets or sets an outage window shared by every route of the host.</summary>
    /// <value>The default value is <see langword="null"/>: no host outage.</value>
    public ChaosOutageOptions? Outage { get; set; }

    /// <summary>Gets or sets the host's capacity: requests in service at once and a service time; beyond it, a status at once.</summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    public ChaosCapacityOptions? Capacity { get; set; }
}
