using Microsoft.Extensions.Options;

namespace Reprise.Bulk;

/// <summary>
/// Validates <see cref="BulkOptions"/>: each failure names the option and its allowed range, so bad configuration
/// fails at start-up with a message a person can act on. The retry options are checked by
/// <see cref="RepriseOptionsValidator"/>, their failures prefixed with <c>Retry.</c>.
/// </summary>
public sealed class BulkOptionsValidator : IValidateOptions<BulkOptions>
{
    /// <summary>Validates the options and throws when any is invalid.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">Some option is out of its allowed range.</exception>
    public static void ThrowIfInvalid(BulkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new BulkOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(BulkOptions), result.Failures);
        }
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, BulkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.Retry is null)
        {
            failures.Add($"{nameof(BulkOptions.Retry)} is required.");
        }
        else
        {
            var retry = new RepriseOptionsValidator().Validate(name, options.Retry);
            if (retry.Failed)
            {
                foreach (var failure in retry.Failures)
                {
                    failures.Add($"{nameof(BulkOptions.Retry)}.{failure}");
                }
            }
        }

        if (options.MaxConcurrency is < 1 or > BulkDefaults.MaxConcurrencyLimit)
        {
            failures.Add($"{nameof(BulkOptions.MaxConcurrency)} must be between 1 and {BulkDefaults.MaxConcurrencyLimit}; it is {options.MaxConcurrency}.");
        }

        if (options.MaxPendingRequests is < 1 or > BulkDefaults.MaxPendingRequestsLimit)
        {
            failures.Add($"{nameof(BulkOptions.MaxPendingRequests)} must be between 1 and {BulkDefaults.MaxPendingRequestsLimit}; it is {options.MaxPendingRequests}.");
        }
        else if (options.MaxPendingRequests < options.MaxConcurrency)
        {
            failures.Add(
                $"{nameof(BulkOptions.MaxPendingRequests)} must be at least {nameof(BulkOptions.MaxConcurrency)} ({options.MaxConcurrency}), or workers stand idle; it is {options.MaxPendingRequests}.");
        }

        if (!Enum.IsDefined(options.BodyHandling))
        {
            failures.Add($"{nameof(BulkOptions.BodyHandling)} must be one of {string.Join(", ", Enum.GetNames<BulkBodyHandling>())}; it is {options.BodyHandling}.");
        }

        if (options.MaxBodyInMemory is < 0 or > BulkDefaults.MaxBodyInMemoryLimit)
        {
            failures.Add($"{nameof(BulkOptions.MaxBodyInMemory)} must be between 0 and {BulkDefaults.MaxBodyInMemoryLimit} bytes; it is {options.MaxBodyInMemory}.");
        }

        if (options.BodyHandling == BulkBodyHandling.Sink && options.BodySink is null)
        {
            failures.Add($"{nameof(BulkOptions.BodySink)} is required when {nameof(BulkOptions.BodyHandling)} is {nameof(BulkBodyHandling.Sink)}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
