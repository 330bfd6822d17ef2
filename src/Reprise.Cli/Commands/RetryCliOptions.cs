using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Reprise.Cli.Parsing;
using Reprise.Retry;

namespace Reprise.Cli.Commands;

/// <summary>
/// The options that <c>get</c> and <c>fetch</c> share: attempts, retried statuses, time limits and headers.
/// Each value is checked while parsing, so a bad one fails at start with a message that names the option.
/// </summary>
internal sealed class RetryCliOptions
{
    private const int MaxAttemptsLimit = 100;

    // The library's defaults, read from a fresh options object so the CLI never restates them.
    private static readonly RepriseOptions Defaults = new();

    public RetryCliOptions()
    {
        MaxAttempts = IntOption("--max-attempts", $"Most attempts per request, the first included (1-{MaxAttemptsLimit}); curl's --retry N is --max-attempts N+1.", Defaults.MaxAttempts, 1, MaxAttemptsLimit);

        RetryOn = new Option<StatusCodeSet>("--retry-on")
        {
            Description = "Statuses that are retried, such as 429,500-504; every other status is final.",
            DefaultValueFactory = static _ => Defaults.RetryOn,
            CustomParser = static result => ParseStatusSet(result),
            HelpName = "statuses",
        };

        AttemptTimeout = DurationOption("--attempt-timeout", "Time limit of each attempt, to the response headers", Defaults.AttemptTimeout);
        Deadline = DurationOption("--deadline", "Time limit of each request, across every attempt and wait", Defaults.Deadline);

        Headers = new Option<IReadOnlyList<KeyValuePair<string, string>>>("--header", "-H")
        {
            Description = "A request header, 'Name: value'; repeat for more.",
            Arity = ArgumentArity.ZeroOrMore,
            DefaultValueFactory = static _ => [],
            CustomParser = static result => ParseHeaders(result),
            HelpName = "header",
        };
    }

    public Option<int> MaxAttempts { get; }

    public Option<StatusCodeSet> RetryOn { get; }

    public Option<TimeSpan?> AttemptTimeout { get; }

    public Option<TimeSpan?> Deadline { get; }

    public Option<IReadOnlyList<KeyValuePair<string, string>>> Headers { get; }

    /// <summary>An integer option whose range is checked while parsing, the message naming the option.</summary>
    public static Option<int> IntOption(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = "n",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from {min} to {max}; it was '{text}'."));
                return defaultValue;
            }

            return value;
        },
    };

    /// <summary>
    /// A duration option (<see cref="DurationParser"/>). Null when not given: the default is stated in the description
    /// rather than shown by the help as a raw <see cref="TimeSpan"/>.
    /// </summary>
    public static Option<TimeSpan?> DurationOption(string name, string description, TimeSpan defaultValue, bool allowZero = false)
    {
        var option = new Option<TimeSpan?>(name)
        {
            Description = $"{description}: 1.5, 500ms, 2s, 1m or {DurationParser.Infinite} [default: {DurationParser.Format(defaultValue)}]",
            HelpName = "duration",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
                if (!DurationParser.TryParse(text, out var value, out var error))
                {
                    result.AddError($"{name}: {error}");
                    return default;
                }

                if (value == TimeSpan.Zero && !allowZero)
                {
                    result.AddError($"{name} must be more than 0 (or {DurationParser.Infinite}); it was '{text}'.");
                }

                return value;
            },
        };
        return option;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Headers);
        command.Options.Add(MaxAttempts);
        command.Options.Add(RetryOn);
        command.Options.Add(AttemptTimeout);
        command.Options.Add(Deadline);
    }

    /// <summary>Builds the library's retry options from the parsed command line.</summary>
    public RepriseOptions CreateOptions(ParseResult parseResult) => new()
    {
        MaxAttempts = parseResult.GetValue(MaxAttempts),
        RetryOn = parseResult.GetValue(RetryOn) ?? Defaults.RetryOn,
        AttemptTimeout = parseResult.GetValue(AttemptTimeout) ?? Defaults.AttemptTimeout,
        Deadline = parseResult.GetValue(Deadline) ?? Defaults.Deadline,
    };

    private static StatusCodeSet ParseStatusSet(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        try
        {
            return StatusCodeSet.Parse(text);
        }
        catch (FormatException ex)
        {
            result.AddError($"--retry-on: {ex.Message}");
            return StatusCodeSet.Empty;
        }
    }

    private static IReadOnlyList<KeyValuePair<string, string>> ParseHeaders(ArgumentResult result)
    {
        var headers = new List<KeyValuePair<string, string>>(result.Tokens.Count);
        foreach (var token in result.Tokens)
        {
            if (!HeaderParser.TryParse(token.Value, out var header, out var error))
            {
                result.AddError($"--header: {error}");
                continue;
            }

            headers.Add(header);
        }

        return headers;
    }
}
