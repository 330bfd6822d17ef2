using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reprise;
using Reprise.DependencyInjection;
using Reprise.Hosts;
using Reprise.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Reprise retrying handler to clients made by <see cref="System.Net.Http.IHttpClientFactory"/>.</summary>
/// <remarks>
/// <para>
/// Each client's <see cref="RepriseOptions"/> are the named options of the client's name, so
/// <c>IOptionsMonitor&lt;RepriseOptions&gt;.Get("github")</c> reads those of the client "github". They are validated
/// when the host starts (an <see cref="OptionsValidationException"/> names the option and its allowed range).
/// </para>
/// <para>
/// Each client uses the <see cref="HostRegistry"/> of its own name, kept by <see cref="HostRegistryProvider"/> for the
/// life of the service provider, so that what it learns about a host survives the factory's handler rotation;
/// <see cref="UseHostRegistry"/> makes several clients share one. The client's <see cref="HttpClient.Timeout"/>
/// becomes <see cref="RepriseOptions.Deadline"/> plus one second (infinite with an infinite deadline), so that
/// HttpClient's timeout never fires before Reprise's deadline and its reason and history.
/// </para>
/// <para>
/// Calling <c>AddReprise</c> again for the same client adds configuration, not a second handler: bind a section
/// from appsettings.json, then set what configuration cannot hold (<see cref="RepriseOptions.ShouldRetry"/>).
/// </para>
/// </remarks>
public static class RepriseHttpClientBuilderExtensions
{
    /// <summary>Adds the Reprise handler with the default options, or those configured for the client's name.</summary>
    /// <param name="builder">The client's builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="builder"/> has no client name (<c>ConfigureHttpClientDefaults</c>).</exception>
    public static IHttpClientBuilder AddReprise(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddHandlerOnce(builder);
        return builder;
    }

    /// <summary>Adds the Reprise handler, with options set in code.</summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configure">Sets the client's options.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="builder"/> has no client name (<c>ConfigureHttpClientDefaults</c>).</exception>
    public static IHttpClientBuilder AddReprise(this IHttpClientBuilder builder, Action<RepriseOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddHandlerOnce(builder);
        builder.Services.Configure(builder.Name, configure);
        return builder;
    }

    /// <summary>
    /// Adds the Reprise handler, with options bound from a configuration section such as <c>Reprise:Clients:github</c>:
    /// <c>"RetryOn": "429,500-504"</c>, durations as <c>"00:00:10"</c>. A key that names no option fails binding.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configuration">The section holding the client's options.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="builder"/> has no client name (<c>ConfigureHttpClientDefaults</c>).</exception>
    public static IHttpClientBuilder AddReprise(this IHttpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        AddHandlerOnce(builder);
        OptionsBinding.Bind(builder.Services.AddOptions<RepriseOptions>(builder.Name), configuration);
        return builder;
    }

    /// <summary>
    /// Makes the client use the host registry of <paramref name="registryName"/> instead of its own, so that every client
    /// naming it shares one view of each host: one pause on a Retry-After, one retry budget, one circuit, one limit.
    /// Configure the registry with <see cref="RepriseServiceCollectionExtensions.ConfigureHostRegistry(IServiceCollection, string, Action{HostCoordinationOptions})"/>.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="registryName">The registry's name.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="registryName"/> is null, empty or white space.</exception>
    public static IHttpClientBuilder UseHostRegistry(this IHttpClientBuilder builder, string registryName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(registryName);
        builder.Services.Configure<RepriseClientRegistration>(builder.Name, registration => registration.HostRegistryName = registryName);
        builder.Services.AddOptions<HostCoordinationOptions>(registryName).ValidateOnStart();
        return builder;
    }

    /// <summary>HttpClient's own timeout: Reprise's deadline plus a margin, so that the deadline always fires first.</summary>
    internal static TimeSpan HttpClientTimeout(RepriseOptions options)
        => options.Deadline == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : options.Deadline + RepriseDefaults.HttpClientTimeoutMargin;

    private static void AddHandlerOnce(IHttpClientBuilder builder)
    {
        var services = builder.Services;
        var name = builder.Name ?? throw new ArgumentException(
            "AddReprise needs a named or typed client: its options and host registry go by the client's name. ConfigureHttpClientDefaults is not supported.",
            nameof(builder));
        RepriseServiceCollectionExtensions.AddRepriseCore(services);
        if (services.Any(d => !d.IsKeyedService && d.ServiceType == typeof(RepriseClientMarker) && d.ImplementationInstance is RepriseClientMarker marker && marker.Name == name))
        {
            return;
        }

        services.AddSingleton(new RepriseClientMarker(name));
        services.AddOptions<RepriseOptions>(name).ValidateOnStart();
        services.AddOptions<HostCoordinationOptions>(name).ValidateOnStart();
        builder.AddHttpMessageHandler(services => CreateHandler(services, name));
        builder.ConfigureHttpClient((services, client) => client.Timeout = HttpClientTimeout(services.GetRequiredService<IOptionsMonitor<RepriseOptions>>().Get(name)));
    }

    private static RepriseHandler CreateHandler(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<RepriseOptions>>().Get(name);
        var registryName = services.GetRequiredService<IOptionsMonitor<RepriseClientRegistration>>().Get(name).HostRegistryName ?? name;
        var registry = services.GetRequiredService<HostRegistryProvider>().GetRegistry(registryName);
        var telemetry = RepriseTelemetry.Create(options.Telemetry, services.GetService<IMeterFactory>(), services.GetService<ILoggerFactory>());
        return new RepriseHandler(options, registry, registry.TimeProvider, telemetry);
    }
}
