using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reprise.Bulk;
using Reprise.DependencyInjection;
using Reprise.Hosts;
using Reprise.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Reprise <see cref="BulkEngine"/> as a singleton, default or named.</summary>
/// <remarks>
/// <para>
/// The default engine is the service <see cref="BulkEngine"/>; a named engine is the keyed service of its name
/// (<c>[FromKeyedServices("ingest")] BulkEngine engine</c>, or <c>GetRequiredKeyedService&lt;BulkEngine&gt;("ingest")</c>).
/// Like a typed client, the default engine goes by its type's name, <c>nameof(BulkEngine)</c>: it is the name of its
/// <see cref="BulkOptions"/> (named options) and of its host registry, and the key of the keyed service too.
/// </para>
/// <para>
/// The options are validated when the host starts (<c>ValidateOnStart</c>) by the same rules and messages as the
/// engine's constructor: an <see cref="OptionsValidationException"/> whose messages name each option, as
/// <c>MaxConcurrency: The field ingest.MaxConcurrency must be between 1 and 10000.</c> The engine uses the <see cref="HostRegistry"/> of its
/// name from <see cref="HostRegistryProvider"/>: an engine named like a client, or a client that
/// <c>UseHostRegistry</c> names the engine, shares one view of each host with it. The container's
/// <see cref="TimeProvider"/>, <see cref="IMeterFactory"/> and <see cref="ILoggerFactory"/> are used when registered.
/// The engine sends through a <see cref="System.Net.Http.SocketsHttpHandler"/> of its own, disposed with the container.
/// </para>
/// <para>
/// Calling it again for the same name adds configuration, not a second engine: bind a section, then set in code
/// what configuration cannot hold (<see cref="BulkOptions.BodySink"/>, <see cref="Reprise.RepriseOptions.ShouldRetry"/>).
/// </para>
/// </remarks>
public static class RepriseBulkEngineServiceCollectionExtensions
{
    private const string DefaultName = nameof(BulkEngine);

    /// <summary>Registers the default bulk engine, with options set in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the engine's options.</param>
    /// <returns>The same services.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddRepriseBulkEngine(this IServiceCollection services, Action<BulkOptions> configure)
        => services.AddRepriseBulkEngine(DefaultName, configure);

    /// <summary>
    /// Registers the default bulk engine, with options bound from a configuration section such as <c>Reprise:Bulk</c>:
    /// <c>"MaxConcurrency": 32</c>, <c>"Retry": { "RetryOn": "429,500-504" }</c>. A key that names no option fails binding.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding the engine's options.</param>
    /// <returns>The same services.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddRepriseBulkEngine(this IServiceCollection services, IConfiguration configuration)
        => services.AddRepriseBulkEngine(DefaultName, configuration);

    /// <summary>Registers a bulk engine as the keyed service of <paramref name="name"/>, with options set in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The engine's name: the key of the service, the name of its options and of its host registry.</param>
    /// <param name="configure">Sets the engine's options.</param>
    /// <returns>The same services.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static IServiceCollection AddRepriseBulkEngine(this IServiceCollection services, string name, Action<BulkOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        AddEngineOnce(services, name);
        services.Configure(name, configure);
        return services;
    }

    /// <summary>Registers a bulk engine as the keyed service of <paramref name="name"/>, with options bound from a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The engine's name: the key of the service, the name of its options and of its host registry.</param>
    /// <param name="configuration">The section holding the engine's options.</param>
    /// <returns>The same services.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static IServiceCollection AddRepriseBulkEngine(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configuration);
        AddEngineOnce(services, name);
        OptionsBinding.Bind(services.AddOptions<BulkOptions>(name), configuration);
        return services;
    }

    private static void AddEngineOnce(IServiceCollection services, string name)
    {
        RepriseServiceCollectionExtensions.AddRepriseCore(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BulkOptions>, BulkOptionsValidator>());
        if (services.Any(d => d.IsKeyedService && d.ServiceType == typeof(BulkEngine) && Equals(d.ServiceKey, name)))
        {
            return;
        }

        services.AddOptions<BulkOptions>(name).ValidateOnStart();
        services.AddOptions<HostCoordinationOptions>(name).ValidateOnStart();
        services.AddKeyedSingleton(name, static (services, key) => Create(services, (string)key!));
        if (name == DefaultName)
        {
            services.TryAddSingleton(static services => services.GetRequiredKeyedService<BulkEngine>(DefaultName));
        }
    }

    private static BulkEngine Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<BulkOptions>>().Get(name);
        var registry = services.GetRequiredService<HostRegistryProvider>().GetRegistry(name);
        var telemetry = RepriseTelemetry.Create(
            options.Retry.Telemetry, services.GetService<IMeterFactory>(), services.GetService<ILoggerFactory>(), RepriseTelemetry.BulkEngineCategory);
        return new BulkEngine(options, registry, telemetry);
    }
}
