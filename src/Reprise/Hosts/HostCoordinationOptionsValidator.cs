using Microsoft.Extensions.Options;

namespace Reprise.Hosts;

/// <summary>
/// Validates <see cref="HostCoordinationOptions"/>: the attributes through the generated
/// <see cref="HostCoordinationOptionsAttributeValidator"/>, then the time ranges and the rules across options. Each
/// failure names the option and what is allowed.
/// </summary>
internal sealed class HostCoordinationOptionsValidator : IValidateOptions<HostCoordinationOptions>
{
    private static readonly HostCoordinationOptionsAttributeValidator Attributes = new();
    private static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>Validates the options and throws when any is invalid.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">Some option is out of its allowed range.</exception>
    public static void ThrowIfInvalid(HostCoordinationOptions options) => OptionsValidation.ThrowIfInvalid(new HostCoordinationOptionsValidator(), options);

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, HostCoordinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(Attributes.Validate(name, options));
        var prefix = OptionsValidation.Prefix<HostCoordinationOptions>(name);
        CheckTimeRanges(builder, prefix, options);

        // Checked only when both are in their own ranges, so that one bad value is one message.
        if (options.MaxConcurrency >= 1 && options.MinConcurrency > options.MaxConcurrency)
        {
            OptionsValidation.AddFailure(
                builder,
                prefix,
                nameof(HostCoordinationOptions.MinConcurrency),
                $"must be between 1 and {nameof(HostCoordinationOptions.MaxConcurrency)} ({options.MaxConcurrency}).");
        }

        if (options.CircuitBreakerProbeInterval > options.CircuitBreakerMaxProbeInterval)
        {
            OptionsValidation.AddFailure(
                builder,
                prefix,
                nameof(HostCoordinationOptions.CircuitBreakerProbeInterval),
                $"must be between 00:00:00.0010000 and {nameof(HostCoordinationOptions.CircuitBreakerMaxProbeInterval)} ({options.CircuitBreakerMaxProbeInterval}).");
        }

        return builder.Build();
    }

    // The ranges [Range(typeof(TimeSpan), ...)] would state, in property order (OptionsValidation.CheckRange says why
    // not the attribute).
    private static void CheckTimeRanges(ValidateOptionsResultBuilder builder, string prefix, HostCoordinationOptions options)
    {
        OptionsValidation.CheckRange(builder, prefix, nameof(HostCoordinationOptions.MaxPause), options.MaxPause, TimeSpan.Zero, Day);
        OptionsValidation.CheckRange(builder, prefix, nameof(HostCoordinationOptions.RetryThrottlingWindow), options.RetryThrottlingWindow, Second, Hour);
        OptionsValidation.CheckRange(
            builder, prefix, nameof(HostCoordinationOptions.CircuitBreakerProbeInterval), options.CircuitBreakerProbeInterval, Millisecond, Hour);
        OptionsValidation.CheckRange(
            builder, prefix, nameof(HostCoordinationOptions.CircuitBreakerMaxProbeInterval), options.CircuitBreakerMaxProbeInterval, Millisecond, Day);
        OptionsValidation.CheckRange(builder, prefix, nameof(HostCoordinationOptions.IdleTimeout), options.IdleTimeout, Second, Day);
    }
}

/// <summary>The attribute rules of <see cref="HostCoordinationOptions"/>, generated at build time by Microsoft.Extensions.Options.</summary>
[OptionsValidator]
internal sealed partial class HostCoordinationOptionsAttributeValidator : IValidateOptions<HostCoordinationOptions>
{
}
