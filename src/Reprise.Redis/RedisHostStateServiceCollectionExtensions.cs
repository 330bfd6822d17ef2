using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reprise.Hosts;
using Reprise.Redis;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares the host registries' state through Redis: <c>.AddReprise().AddRedisHostState("localhost:6379")</c>.</summary>
public static class RedisHostStateServiceCollectionExtensions
{
    /// <summary>
    /// Shares every host registry's pause, circuit (one probe at a time), retry-throttle counts and rate with the other
    /// processes that use the same Redis. Requests never wait for Redis; when it fails they go on with local state.
    /// </summary>
    /// <param name="builder">The client builder (after <c>AddReprise</c>).</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</param>
    /// <param name="configure">Sets the options; validated on start.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty or white space.</exception>
    public static IHttpClientBuilder AddRedisHostState(this IHttpClientBuilder builder, string configuration, Action<RedisHostStateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var services = builder.Services;
        services.AddOptions<RedisHostStateOptions>().Configure(configure ?? (static _ => { })).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisHostStateOptions>, RedisHostStateOptionsValidator>());
        services.TryAddSingleton(sp => new RedisHostStateHolder(RedisConnections.Connect(configuration), sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HostCoordinationOptions>>(static sp =>
            new ConfigureNamedOptions<HostCoordinationOptions>(null, options => options.SharedState = sp.GetRequiredService<RedisHostStateHolder>().State)));
        return builder;
    }

    /// <summary>Owns the connection the DI call made, and the shared state over it.</summary>
    private sealed class RedisHostStateHolder : IDisposable
    {
        private readonly IConnectionMultiplexer _connection;

        public RedisHostStateHolder(IConnectionMultiplexer connection, IServiceProvider services)
        {
            _connection = connection;
            State = new RedisHostState(
                connection,
                services.GetRequiredService<IOptions<RedisHostStateOptions>>().Value,
                services.GetService<TimeProvider>(),
                services.GetService<ILoggerFactory>(),
                services.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        }

        public RedisHostState State { get; }

        public void Dispose()
        {
            State.Dispose();
            _connection.Dispose();
        }
    }
}
