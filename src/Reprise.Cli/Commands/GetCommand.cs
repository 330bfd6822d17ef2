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
            Description = "The request body: text, @file (its newlines removed, as curl does) or @- for stdin; sent as POST, application/x-www-form-urlencoded.",
            HelpName = "data",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the body to this file instead of stdout.",
            HelpName = "file",
        };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Show each attempt and each wait as it happens, and the response headers, on stderr (request header values are never shown).",
        };
        var redis = RedisCliOption.Create();
        var redisTimeout = RedisCliOption.CreateTimeout();
        var redisConnectTimeout = RedisCliOption.CreateConnectTimeout();
        var retry = new RetryCliOptions();
        var redirects = new RedirectCliOptions();
        var showQuery = ShowQueryOption();
        var maxFileSize = BodyLimitCliOption.Create(BodyLimitCliOption.GetDefault);
        var request = new RequestCliOptions();
        var curl = new GetCurlOptions();

        var command = new Command("get", "Send one request with retries; the body goes to stdout or -o.")
        {
            url,
            method,
            data,
            output,
            verbose,
            redis,
            redisTimeout,
            redisConnectTimeout,
        };
        retry.AddTo(command);
        redirects.AddTo(command);
        command.Options.Add(showQuery);
        command.Options.Add(maxFileSize);
        request.AddTo(command);
        curl.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var (body, kind, bodyError) = curl.Body(parseResult, data);
            if (bodyError is not null)
            {
                console.WriteError(bodyError);
                return Task.FromResult((int)ExitCode.UsageError);
            }

            var head = parseResult.GetValue(curl.Head);
            var defaultMethod = head ? "HEAD" : body is not null ? "POST" : "GET";
            var headers = parseResult.GetValue(retry.Headers) ?? [];
            var settings = new GetSettings
            {
                Url = parseResult.GetValue(url)!,
                Method = new HttpMethod((parseResult.GetValue(method) ?? defaultMethod).ToUpperInvariant()),
                Headers = request.Headers(parseResult, kind == DataKind.Json && !RequestDefaults.Has(headers, "Accept") ? [.. headers, new("Accept", "application/json")] : headers),
                Data = body,
                DataKind = kind,
                OutputPath = parseResult.GetValue(output),
                Verbose = parseResult.GetValue(verbose),
                Redirects = redirects.CreateOptions(parseResult),
                ShowQuery = parseResult.GetValue(showQuery),
                MaxFileSize = parseResult.GetValue(maxFileSize) ?? BodyLimitCliOption.GetDefault,
                Include = head || parseResult.GetValue(curl.Include),
                User = parseResult.GetValue(curl.User),
                Insecure = parseResult.GetValue(curl.Insecure),
                ConnectTimeout = parseResult.GetValue(curl.ConnectTimeout),
                WriteOut = parseResult.GetValue(curl.WriteOut),
                Retry = request.Apply(parseResult, retry.CreateOptions(parseResult)),
            };
            var connectTimeout = parseResult.GetValue(redisConnectTimeout) ?? RedisCliOption.DefaultConnectTimeout;
            return RunAsync(console, settings, parseResult.GetValue(redis), parseResult.GetValue(redisTimeout) ?? RedisCliOption.DefaultTimeout, connectTimeout, cancellationToken);
        });
        return command;
    }

    private static Option<bool> ShowQueryOption() => new("--show-query")
    {
        Description = "With -v, show the values of the URL's query (masked by default: tokens live there).",
    };

    private static async Task<int> RunAsync(
        CliConsole console, GetSettings settings, string? redis, TimeSpan redisTimeout, TimeSpan redisConnectTimeout, CancellationToken cancellationToken)
    {
        var sharing = await RedisSharing.OpenAsync(redis, redisTimeout, redisConnectTimeout, console, writeStats: false, cancellationToken).ConfigureAwait(false);
        await using (sharing.ConfigureAwait(false))
        {
            settings.SharedState = sharing.State;
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
