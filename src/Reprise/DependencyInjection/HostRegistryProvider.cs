using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reprise.Hosts;
using Reprise.Telemetry;

namespace Reprise.DependencyInjection;

/// <summary>
/// The named <see cref="HostRegistry"/> instances of a service provider: one per name, created on first use and kept
/// for the provider's lifetime, so that what clients learn about a host outlives the handlers that
/// <see cref="System.Net.Http.IHttpClientFactory"/> rotates.
/// </summary>
/// <remarks>
/// A client added with <c>AddReprise</c> uses the registry named after the client, unless
/// <c>UseHostRegistry</c> names a registry that several clients share. A registry's
/// <see cref="HostCoordinationOptions"/> are the named options of the same name, read once when it is created.
/// </remarks>
public sealed class HostRegistryProvider
{
    private readonly ConcurrentDictionary<string, Lazy<HostRegistry>> _registries = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<HostCoordinationOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly RepriseTelemetry _telemetry;

    internal HostRegistryProvider(IOptionsMonitor<HostCoordinationOptions> options, TimeProvider timeProvider, IMeterFactory? meterFactory, ILoggerFactory? loggerFactory)
    {
        _options = options;
        _timeProvider = timeProvider;
        _telemetry = RepriseTelemetry.Create(options: null, meterFactory, loggerFactory);
    }

    /// <summary>Gets the registry of a name, creating it on first use.</summary>
    /// <param name="name">The registry's name: a client's name, or a name given to <c>UseHostRegistry</c>.</param>
    /// <returns>The registry; the same instance for the same name.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="OptionsValidationException">The registry's <see cref="HostCoordinationOptions"/> are invalid.</exception>
    public HostRegistry GetRegistry(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _registries.GetOrAdd(name, static (key, self) => new Lazy<HostRegistry>(() => self.Create(key)), this).Value;
    }

    private HostRegistry Create(string name)
    {
        var registry = new HostRegistry(_options.Get(name), _timeProvider);
        _telemetry.Observe(registry, name);
        return registry;
    }
}
