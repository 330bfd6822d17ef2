using Microsoft.Extensions.Options;

namespace Reprise;

/// <summary>
/// Runs an options validator outside dependency injection, so that a constructor fails with the same messages as
/// <c>ValidateOnStart</c>.
/// </summary>
internal static class OptionsValidation
{
    /// <summary>Validates <paramref name="options"/> under the default name and throws when any rule fails.</summary>
    /// <exception cref="OptionsValidationException">Some option is invalid; one failure per broken rule.</exception>
    public static void ThrowIfInvalid<TOptions>(IValidateOptions<TOptions> validator, TOptions options)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures);
        }
    }

    /// <summary>
    /// The prefix of an option in a message: the options' name, or their type's name for the default options, as the
    /// generated validators write it (<c>RepriseOptions.MaxAttempts</c>, <c>github.MaxAttempts</c>, <c>BulkOptions.Retry.MaxAttempts</c>).
    /// </summary>
    public static string Prefix<TOptions>(string? name) => string.IsNullOrEmpty(name) ? typeof(TOptions).Name : name;

    /// <summary>
    /// Adds the failure of a rule no attribute expresses, in the generated validators' shape:
    /// <c>MaxDelay: The field RepriseOptions.MaxDelay must be ...</c>.
    /// </summary>
    public static void AddFailure(ValidateOptionsResultBuilder builder, string prefix, string option, string rule)
        => builder.AddError($"{option}: The field {prefix}.{option} {rule}");
}
