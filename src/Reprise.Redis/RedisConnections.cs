using StackExchange.Redis;

namespace Reprise.Redis;

/// <summary>How Reprise.Redis connects when given a connection string (the DI call and the CLI's <c>--redis</c>).</summary>
public static class RedisConnections
{
    /// <summary>
    /// Connects to Redis for sharing host state: never fails when Redis is down (the registries then go on locally and
    /// the client reconnects in the background), and fails a call at once while disconnected rather than queueing it.
    /// </summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</param>
    /// <returns>The connection; the caller disposes it.</returns>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty or not a valid configuration string.</exception>
    public static IConnectionMultiplexer Connect(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return Connect(configuration, TimeSpan.FromMilliseconds(Math.Max(1, Math.Min(ConfigurationOptions.Parse(configuration).ConnectTimeout, 1000))));
    }

    /// <summary>
    /// Connects as <see cref="Connect(string)"/> does, waiting at most <paramref name="connectTimeout"/> for the first
    /// connection (it replaces the configuration string's <c>connectTimeout</c>); returns sooner when connected or refused.
    /// </summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</param>
    /// <param name="connectTimeout">The longest wait for the first connection, from 1 ms; past it, the client goes on connecting in the background.</param>
    /// <returns>The connection; the caller disposes it.</returns>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty or not a valid configuration string.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connectTimeout"/> is under 1 ms or over <see cref="int.MaxValue"/> ms.</exception>
    public static IConnectionMultiplexer Connect(string configuration, TimeSpan connectTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentOutOfRangeException.ThrowIfLessThan(connectTimeout, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(connectTimeout, TimeSpan.FromMilliseconds(int.MaxValue));
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = (int)Math.Ceiling(connectTimeout.TotalMilliseconds);

        // Rejoin soon after Redis comes back: from 250 ms, never more than 2 s apart.
        options.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);
        return ConnectionMultiplexer.Connect(options);
    }
}
