using System.Globalization;
using Microsoft.Extensions.Options;

namespace Reprise.Redis;

/// <summary>
/// Validates <see cref="RedisHostStateOptions"/>, at start-up and in constructors: the attributes through the generated
/// <see cref="RedisHostStateOptionsAttributeValidator"/>, then the time ranges. Each failure names the option and the
/// allowed range.
/// </summary>
internal sealed class RedisHostStateOptionsValidator : IValidateOptions<RedisHostStateOptions>
{
    private static readonly RedisHostStateOptionsAttributeValidator Attributes = new();

    /// <summary>Validates the options and throws when any is invalid.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">Some option is out of its allowed range.</exception>
    public static void ThrowIfInvalid(RedisHostStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new RedisHostStateOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(RedisHostStateOptions), result.Failures);
        }
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, RedisHostStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(Attributes.Validate(name, options));
        var prefix = string.IsNullOrEmpty(name) ? nameof(RedisHostStateOptions) : name;
        var ms = TimeSpan.FromMilliseconds(1);
        CheckRange(builder, prefix, nameof(RedisHostStateOptions.OperationTimeout), options.OperationTimeout, ms, TimeSpan.FromSeconds(10));
        CheckRange(builder, prefix, nameof(RedisHostStateOptions.CacheValidity), options.CacheValidity, 10 * ms, TimeSpan.FromMinutes(1));
        CheckRange(builder, prefix, nameof(RedisHostStateOptions.ProbeLeaseTime), options.ProbeLeaseTime, 100 * ms, TimeSpan.FromMinutes(10));
        CheckRange(builder, prefix, nameof(RedisHostStateOptions.TokenLeaseAhead), options.TokenLeaseAhead, ms, TimeSpan.FromSeconds(10));
        CheckRange(builder, prefix, nameof(RedisHostStateOptions.RejoinInterval), options.RejoinInterval, 10 * ms, TimeSpan.FromMinutes(10));
        CheckRange(builder, prefix, nameof(RedisHostStateOptions.RetryThrottlingWindow), options.RetryThrottlingWindow, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        return builder.Build();
    }

    // What [Range(typeof(TimeSpan), min, max)] said, with its message: that attribute parses its bounds through a
    // TypeConverter found by reflection, which trimming and NativeAOT cannot vouch for (IL2026).
    private static void CheckRange(ValidateOptionsResultBuilder builder, string prefix, string option, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            builder.AddError($"{option}: The field {prefix}.{option} must be between {Format(min)} and {Format(max)}.");
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}

/// <summary>The attribute rules of <see cref="RedisHostStateOptions"/>, generated at build time by Microsoft.Extensions.Options.</summary>
[OptionsValidator]
internal sealed partial class RedisHostStateOptionsAttributeValidator : IValidateOptions<RedisHostStateOptions>
{
}
