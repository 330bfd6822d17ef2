using System.Globalization;
using Microsoft.Extensions.Options;
using Reprise.Backoff;

namespace Reprise;

/// <summary>
/// Validates <see cref="RepriseOptions"/>: each failure names the option and its allowed range, so bad
/// configuration fails at start-up with a message a person can act on.
/// </summary>
internal sealed class RepriseOptionsValidator : IValidateOptions<RepriseOptions>
{
    /// <summary>Validates the options and throws when any is invalid.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">Some option is out of its allowed range.</exception>
    public static void ThrowIfInvalid(RepriseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new RepriseOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(RepriseOptions), result.Failures);
        }
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, RepriseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.MaxAttempts is < 1 or > RepriseDefaults.MaxAttemptsLimit)
        {
            failures.Add($"{nameof(RepriseOptions.MaxAttempts)} must be between 1 and {RepriseDefaults.MaxAttemptsLimit}; it is {options.MaxAttempts}.");
        }

        if (options.RetryOn is null)
        {
            failures.Add($"{nameof(RepriseOptions.RetryOn)} is required.");
        }

        CheckRange(failures, nameof(RepriseOptions.BaseDelay), options.BaseDelay, TimeSpan.Zero, RepriseDefaults.MaxTimeOption);
        CheckRange(failures, nameof(RepriseOptions.MaxDelay), options.MaxDelay, TimeSpan.Zero, RepriseDefaults.MaxTimeOption);
        if (options.MaxDelay < options.BaseDelay)
        {
            failures.Add($"{nameof(RepriseOptions.MaxDelay)} must be at least {nameof(RepriseOptions.BaseDelay)} ({Format(options.BaseDelay)}); it is {Format(options.MaxDelay)}.");
        }

        CheckRange(failures, nameof(RepriseOptions.MaxRetryAfter), options.MaxRetryAfter, TimeSpan.Zero, RepriseDefaults.MaxTimeOption);
        CheckTimeout(failures, nameof(RepriseOptions.AttemptTimeout), options.AttemptTimeout);
        CheckTimeout(failures, nameof(RepriseOptions.Deadline), options.Deadline);

        if (options.MaxReplayableBodySize is < 0 or > RepriseDefaults.MaxBufferSize)
        {
            failures.Add($"{nameof(RepriseOptions.MaxReplayableBodySize)} must be between 0 and {RepriseDefaults.MaxBufferSize} bytes; it is {options.MaxReplayableBodySize}.");
        }

        if (options.MaxBufferedResponseSize is < 0 or > RepriseDefaults.MaxBufferSize)
        {
            failures.Add($"{nameof(RepriseOptions.MaxBufferedResponseSize)} must be between 0 and {RepriseDefaults.MaxBufferSize} bytes; it is {options.MaxBufferedResponseSize}.");
        }

        if (!Enum.IsDefined(options.BackoffType))
        {
            failures.Add($"{nameof(RepriseOptions.BackoffType)} must be one of {string.Join(", ", Enum.GetNames<BackoffType>())}; it is {options.BackoffType}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRange(List<string> failures, string option, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{option} must be between {Format(min)} and {Format(max)}; it is {Format(value)}.");
        }
    }

    private static void CheckTimeout(List<string> failures, string option, TimeSpan value)
    {
        if (value != Timeout.InfiniteTimeSpan && (value <= TimeSpan.Zero || value > RepriseDefaults.MaxTimeOption))
        {
            failures.Add($"{option} must be more than 0 and at most {Format(RepriseDefaults.MaxTimeOption)}, or infinite; it is {Format(value)}.");
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
