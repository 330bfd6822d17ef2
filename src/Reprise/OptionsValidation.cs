using System.Globalization;
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

    /// <summary>
    /// Checks what <c>[Range(typeof(TimeSpan), min, max)]</c> would, with its message
    /// (<c>MaxPause: The field HostCoordinationOptions.MaxPause must be between 00:00:00 and 1.00:00:00.</c>).
    /// </summary>
    /// <remarks>
    /// That attribute parses its bounds through a <see cref="System.ComponentModel.TypeConverter"/> found by reflection,
    /// which trimming and NativeAOT cannot vouch for (IL2026), so time ranges are checked here instead.
    /// </remarks>
    public static void CheckRange(ValidateOptionsResultBuilder builder, string prefix, string option, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            AddFailure(builder, prefix, option, $"must be between {Format(min)} and {Format(max)}.");
        }
    }

    /// <summary>A time as the messages show it: the invariant constant format (<c>1.00:00:00</c>, <c>00:00:00.0010000</c>).</summary>
    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
