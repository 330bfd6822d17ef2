using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reprise.Bulk;
using Reprise.Hosts;
using Reprise.Retry;

namespace Reprise.DependencyInjection;

/// <summary>
/// Binds each options type from a configuration section through the configuration binding source generator
/// (<c>EnableConfigurationBindingGenerator</c>), so that binding needs no reflection and works trimmed and in NativeAOT.
/// A key that names no option fails binding.
/// </summary>
/// <remarks>
/// The generator binds neither interface-typed properties (<see cref="HostCoordinationOptions.SharedState"/>,
/// <see cref="BulkOptions.BodySink"/>, the telemetry factories: objects, set in code) nor types read through a
/// <see cref="System.ComponentModel.TypeConverter"/> (<see cref="RepriseOptions.RetryOn"/>): it reports them as
/// SYSLIB1100 and SYSLIB1101, which Reprise.csproj turns off (they cannot be suppressed at a call site). <c>RetryOn</c> is
/// bound by hand after the generated binding.
/// </remarks>
internal static class OptionsBinding
{
    /// <summary>Binds <see cref="RepriseOptions"/>, <c>RetryOn</c> included.</summary>
    public static void Bind(OptionsBuilder<RepriseOptions> builder, IConfiguration configuration)
    {
        builder.Bind(configuration, static binder => binder.ErrorOnUnknownConfiguration = true);
        builder.Configure(options => BindRetryOn(configuration, options));
    }

    /// <summary>Binds <see cref="BulkOptions"/>, <c>Retry:RetryOn</c> included.</summary>
    public static void Bind(OptionsBuilder<BulkOptions> builder, IConfiguration configuration)
    {
        builder.Bind(configuration, static binder => binder.ErrorOnUnknownConfiguration = true);
        builder.Configure(options => BindRetryOn(configuration.GetSection(nameof(BulkOptions.Retry)), options.Retry));
    }

    /// <summary>Binds <see cref="HostCoordinationOptions"/>.</summary>
    public static void Bind(OptionsBuilder<HostCoordinationOptions> builder, IConfiguration configuration)
    {
        builder.Bind(configuration, static binder => binder.ErrorOnUnknownConfiguration = true);
        builder.Configure(_ => RefuseDisabledKey(configuration));
    }

    /// <summary>
    /// Fails on a <c>Disabled</c> key: the binders count the static preset <see cref="HostCoordinationOptions.Disabled"/>
    /// among the known keys, so <c>"Disabled": true</c> would pass and switch nothing off.
    /// </summary>
    /// <exception cref="InvalidOperationException">The section has a <c>Disabled</c> key.</exception>
    internal static void RefuseDisabledKey(IConfiguration configuration)
    {
        var section = configuration.GetSection(nameof(HostCoordinationOptions.Disabled));
        if (section.Exists())
        {
            throw new InvalidOperationException(
                $"'{section.Path}' is not an option of {nameof(HostCoordinationOptions)} ({nameof(HostCoordinationOptions.Disabled)} is a preset for code): " +
                "set PauseEnabled, RetryThrottlingEnabled, CircuitBreakerEnabled, AdaptiveConcurrencyEnabled and AdaptiveRateEnabled to false instead.");
        }
    }

    /// <summary>
    /// Reads <c>RetryOn</c> (<c>"429,500-504"</c>; an empty string is the empty set) as the reflection binder did through
    /// the type's converter, and fails with its message: the key's path, the inner exception naming the bad entry.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is not a list of status codes and ranges.</exception>
    internal static void BindRetryOn(IConfiguration configuration, RepriseOptions options)
    {
        var section = configuration.GetSection(nameof(RepriseOptions.RetryOn));
        if (section.Value is not { } text)
        {
            return;
        }

        try
        {
            options.RetryOn = StatusCodeSet.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"Failed to convert configuration value at '{section.Path}' to type '{typeof(StatusCodeSet)}'.", ex);
        }
    }
}
