using Microsoft.Extensions.Options;

namespace Reprise;

/// <summary>
/// Validates <see cref="RepriseOptions"/>: the attributes through the generated <see cref="RepriseOptionsAttributeValidator"/>,
/// then the rules no attribute expresses. Each failure names the option and what is allowed, so bad configuration fails
/// at start-up with a message a person can act on.
/// </summary>
internal sealed class RepriseOptionsValidator : IValidateOptions<RepriseOptions>
{
    private static readonly RepriseOptionsAttributeValidator Attributes = new();

    /// <summary>Validates the options and throws when any is invalid.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">Some option is out of its allowed range.</exception>
    public static void ThrowIfInvalid(RepriseOptions options) => OptionsValidation.ThrowIfInvalid(new RepriseOptionsValidator(), options);

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, RepriseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(Attributes.Validate(name, options));
        var prefix = OptionsValidation.Prefix<RepriseOptions>(name);
        CheckDelay(builder, prefix, nameof(RepriseOptions.BaseDelay), options.BaseDelay);
        CheckDelay(builder, prefix, nameof(RepriseOptions.MaxDelay), options.MaxDelay);
        CheckDelay(builder, prefix, nameof(RepriseOptions.MaxRetryAfter), options.MaxRetryAfter);

        if (options.MaxDelay < options.BaseDelay)
        {
            OptionsValidation.AddFailure(
                builder,
                prefix,
                nameof(RepriseOptions.MaxDelay),
                $"must be at least {nameof(RepriseOptions.BaseDelay)} ({Format(options.BaseDelay)}); it is {Format(options.MaxDelay)}.");
        }

        CheckTimeout(builder, prefix, nameof(RepriseOptions.AttemptTimeout), options.AttemptTimeout);
        CheckTimeout(builder, prefix, nameof(RepriseOptions.Deadline), options.Deadline);
        return builder.Build();
    }

    private static void CheckDelay(ValidateOptionsResultBuilder builder, string prefix, string option, TimeSpan value)
        => OptionsValidation.CheckRange(builder, prefix, option, value, TimeSpan.Zero, RepriseDefaults.MaxTimeOption);

    // A time limit is either off (infinite) or positive and bounded: a range attribute cannot say "or -1 ms".
    private static void CheckTimeout(ValidateOptionsResultBuilder builder, string prefix, string option, TimeSpan value)
    {
        if (value != Timeout.InfiniteTimeSpan && (value <= TimeSpan.Zero || value > RepriseDefaults.MaxTimeOption))
        {
            OptionsValidation.AddFailure(
                builder, prefix, option, $"must be more than 0 and at most {Format(RepriseDefaults.MaxTimeOption)}, or infinite; it is {Format(value)}.");
        }
    }

    private static string Format(TimeSpan value) => OptionsValidation.Format(value);
}

/// <summary>The attribute rules of <see cref="RepriseOptions"/>, generated at build time by Microsoft.Extensions.Options.</summary>
[OptionsValidator]
internal sealed partial class RepriseOptionsAttributeValidator : IValidateOptions<RepriseOptions>
{
}
