using System.CommandLine;
using System.CommandLine.Parsing;
using Reprise.Cli.Console;
using Reprise.Cli.Get;
using Reprise.Cli.Sharing;

namespace Reprise.Cli.Commands;

/// <summary><c>reprise get &lt;url&gt;</c>: one request with retries, like curl.</summary>
internal static class GetCommand
{
    public static Command Create(CliConsole console)
    {
        var url = new Argument<Uri>("url")
        {
            Description = "The absolute http or https URL.",
            CustomParser = static result => ParseUrl(result),
        };
        var method = new Option<string?>("--method", "-X")
        {
            Description = "The request method (default GET, or POST with -d).",
            HelpName = "method",
        };
        method.Validators.Add(static result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !IsMethod(value))
            {
                result.AddError($"--method: '{value}' is not a valid HTTP method.");
            }
        });
        var data = new Option<string?>("--data", "-d")
        {
            Description = "The request body: text, @file to read a file, or @- to read stdin.",
            HelpName = "data",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the body to this file instead of stdout.",
            HelpName = "file",
        };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Show each attempt, its status or error, and the wait after it, on stderr (header values are never shown).",
        };
        var redis = RedisCliOption.Create();
        var retry = new RetryCliOptions();

        var command = new Command("get", "Send one request with retries; the body goes to stdout or -o.")
        {
            url,
            method,
            data,
            output,
            verbose,
            redis,
        };
        retry.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var bodyGiven = parseResult.GetValue(data) is not null;
            var sharing = RedisSharing.Open(parseResult.GetValue(redis), console);
            var settings = new GetSettings
            {
                Url = parseResult.GetValue(url)!,
                Method = new HttpMethod((parseResult.GetValue(method) ?? (bodyGiven ? "POST" : "GET")).ToUpperInvariant()),
                Headers = parseResult.GetValue(retry.Headers) ?? [],
                Data = parseResult.GetValue(data),
                OutputPath = parseResult.GetValue(output),
                Verbose = parseResult.GetValue(verbose),
                Retry = retry.CreateOptions(parseResult),
                SharedState = sharing.State,
            };
            return RunAsync(console, settings, sharing, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, GetSettings settings, RedisSharing sharing, CancellationToken cancellationToken)
    {
        await using (sharing.ConfigureAwait(false))
        {
            return (int)await new GetRunner(console).RunAsync(settings, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Uri ParseUrl(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        result.AddError($"'{text}' is not an absolute http or https URL.");
        return null!;
    }

    private static bool IsMethod(string value)
    {
        try
        {
            _ = new HttpMethod(value);
            return value.All(char.IsAsciiLetter);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
