using Microsoft.Extensions.Options;

namespace Reprise.Bulk;

/// <summary>
/// Validates <see cref="BulkOptions"/>: the attributes through the generated <see cref="BulkOptionsAttributeValidator"/>
/// (which runs <see cref="RepriseOptionsValidator"/> on <see cref="BulkOptions.Retry"/>, its messages naming
/// <c>BulkOptions.Retry.</c>), then the rules across options. Each failure names the option and what is allowed.
/// </summary>
internal sealed class BulkOptionsValidator : IValidateOptions<BulkOptions>
{
    // An enum attribute cannot list the names itself; a test checks that this list is Enum.GetNames<BulkBodyHandling>().
    internal const string BodyHandlingMessage = "The field {0} must be one of Discard, Memory, Sink.";

    private static readonly BulkOptionsAttributeValidator Attributes = new();

    /// <summary>Validates the options and throws when any is invalid.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">Some option is out of its allowed range.</exception>
    public static void ThrowIfInvalid(BulkOptions options) => OptionsValidation.ThrowIfInvalid(new BulkOptionsValidator(), options);

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, BulkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(Attributes.Validate(name, options));
        var prefix = OptionsValidation.Prefix<BulkOptions>(name);

        // Checked only when both are in range, so that one bad value is one message.
        if (options.MaxPendingRequests < options.MaxConcurrency
            && options.MaxConcurrency is >= 1 and <= BulkDefaults.MaxConcurrencyLimit
            && options.MaxPendingRequests >= 1)
        {
            OptionsValidation.AddFailure(
                builder,
                prefix,
                nameof(BulkOptions.MaxPendingRequests),
                $"must be at least {nameof(BulkOptions.MaxConcurrency)} ({options.MaxConcurrency}), or workers stand idle; it is {options.MaxPendingRequests}.");
        }

        if (options.BodyHandling == BulkBodyHandling.Sink && options.BodySink is null)
        {
            OptionsValidation.AddFailure(
                builder, prefix, nameof(BulkOptions.BodySink), $"is required when {nameof(BulkOptions.BodyHandling)} is {nameof(BulkBodyHandling.Sink)}.");
        }

        return builder.Build();
    }
}

/// <summary>The attribute rules of <see cref="BulkOptions"/>, generated at build time by Microsoft.Extensions.Options.</summary>
[OptionsValidator]
internal sealed partial class BulkOptionsAttributeValidator : IValidateOptions<BulkOptions>
{
}
