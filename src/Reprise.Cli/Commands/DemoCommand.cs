using System.CommandLine;
using Reprise.Cli.Console;
using Reprise.Cli.Demo;
using Reprise.Cli.Fetch;

namespace Reprise.Cli.Commands;

/// <summary><c>reprise demo</c>: fetches a few thousand URLs from an in-process chaos server, with the live display.</summary>
internal static class DemoCommand
{
    public const int DefaultUrls = 3000;

    public static Command Create(CliConsole console)
    {
        var urls = RetryCliOptions.IntOption("--urls", "How many URLs to fetch.", DefaultUrls, 1, 1_000_000);
        var output = new Option<string?>("--out")
        {
            Description = "Write the results (JSON lines) to this file (default: a new file in the temp directory).",
            HelpName = "results.jsonl",
        };
        var concurrency = RetryCliOptions.IntOption(
            "--concurrency", "Most requests in flight at once.", FetchDefaults.Concurrency, 1, FetchDefaults.MaxConcurrency);

        var command = new Command("demo", "Start a chaos server in-process (flaky, rate-limited, down, slow hosts and 404s) and fetch from it.")
        {
            urls,
            output,
            concurrency,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            (int)await new DemoRunner(console).RunAsync(
                parseResult.GetValue(urls), parseResult.GetValue(output), parseResult.GetValue(concurrency), cancellationToken).ConfigureAwait(false));
        return command;
    }
}
