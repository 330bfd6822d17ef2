using Microsoft.Extensions.Options;

namespace Reprise.Hosts;

/// <summary>
/// Validates <see cref="HostCoordinationOptions"/>: the attributes through the generated
/// <see cref="HostCoordinationOptionsAttributeValidator"/>, then the rules across options. Each failure names the option
/// and what is allowed.
/// </summary>
internal sealed class HostCoordinationOptionsValidator : IValidateOptions<HostCoordinationOptions>
{
    private static readonly HostCoordinationOptionsAttributeValidator Attributes = new();

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
}

/// <summary>The attribute rules of <see cref="HostCoordinationOptions"/>, generated at build time by Microsoft.Extensions.Options.</summary>
[OptionsValidator]
internal sealed partial class HostCoordinationOptionsAttributeValidator : IValidateOptions<HostCoordinationOptions>
{
}
