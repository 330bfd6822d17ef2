using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reprise;
using Reprise.DependencyInjection;
using Reprise.Hosts;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Reprise's shared services: named host registries and their options.</summary>
public static class RepriseServiceCollectionExtensions
{
    /// <summary>
    /// Configures the host registry of a name: the client of that name, or the name given to
    /// <see cref="RepriseHttpClientBuilderExtensions.UseHostRegistry"/>. Validated on start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registry's name.</param>
    /// <param name="configure">Sets its options.</param>
    /// <returns>The same services.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static IServiceCollection ConfigureHostRegistry(this IServiceCollection services, string name, Action<HostCoordinationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        AddRepriseCore(services);
        services.AddOptions<HostCoordinationOptions>(name).Configure(configure).ValidateOnStart();
        return services;
    }

    /// <summary>Configures the host registry of a name from a configuration section. Validated on start.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registry's name.</param>
    /// <param name="configuration">The section holding its <see cref="HostCoordinationOptions"/>.</param>
    /// <returns>The same services.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static IServiceCollection ConfigureHostRegistry(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configuration);
        AddRepriseCore(services);
        OptionsBinding.Bind(services.AddOptions<HostCoordinationOptions>(name).ValidateOnStart(), configuration);
        return services;
    }

    internal static void AddRepriseCore(IServiceCollection services)
    {
        services.AddOptions();
        services.TryAddSingleton(static services => new HostRegistryProvider(
            services.GetRequiredService<IOptionsMonitor<HostCoordinationOptions>>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<IMeterFactory>(),
            services.GetService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RepriseOptions>, RepriseOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HostCoordinationOptions>, HostCoordinationOptionsValidator>());
    }
}
