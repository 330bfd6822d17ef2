using System.CommandLine;
using Reprise.Cli.Console;
using Reprise.Cli.Fetch;
using Reprise.Cli.Sharing;

namespace Reprise.Cli.Commands;

/// <summary><c>reprise fetch &lt;file|-&gt;</c>: fetches every URL of a file, one JSON result line each.</summary>
internal static class FetchCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Argument<string>("input")
        {
            Description = "A file of URLs, one a line (an id may follow after whitespace; a line starting with { is a JSON request; blank lines and # comments are skipped), or - for stdin.",
        };
        var output = new Option<string?>("--out")
        {
            Description = "Write the results (JSON lines) to this file instead of stdout.",
            HelpName = "results.jsonl",
        };
        var bodies = new Option<string?>("--bodies")
        {
            Description = "Save each body in this directory, named by the SHA-256 of its URL.",
            HelpName = "dir",
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Skip the URLs that already have a line in --out, and append to it.",
        };
        var concurrency = RetryCliOptions.IntOption(
            "--concurrency", "Most requests in flight at once, across every host.", FetchDefaults.Concurrency, 1, FetchDefaults.MaxConcurrency);
        var perHost = RetryCliOptions.IntOption(
            "--per-host", "Most requests in flight to one host; the host's adaptive limit stays under it.", FetchDefaults.PerHost, 1, FetchDefaults.MaxConcurrency);
        var shard = ShardCliOption.Create();
        var redis = RedisCliOption.Create();
        var redisTimeout = RedisCliOption.CreateTimeout();
        var redisConnectTimeout = RedisCliOption.CreateConnectTimeout();
        var retry = new RetryCliOptions();
        var redirects = new RedirectCliOptions();
        var maxFileSize = BodyLimitCliOption.Create(BodyLimitCliOption.FetchDefault);
        var request = new RequestCliOptions();
        var hosts = new HostCliOptions();
        var progressInterval = RetryCliOptions.DurationOption(
            "--progress-interval", "How often a progress line is written when stderr is not a terminal (CI logs, nohup)", FetchDefaults.ProgressInterval);
        var hostTable = new Option<string?>("--host-table")
        {
            Description = "Write the full per-host table (tab-separated) to this file; the summary on stderr folds quiet hosts into one line.",
            HelpName = "file",
        };

        var command = new Command("fetch", "Fetch every URL of a file with retries; one JSON line per URL, in completion order.")
        {
            input,
            output,
            bodies,
            resume,
            concurrency,
            perHost,
            shard,
            redis,
            redisTimeout,
            redisConnectTimeout,
        };
        retry.AddTo(command);
        redirects.AddTo(command);
        command.Options.Add(maxFileSize);
        request.AddTo(command);
        hosts.AddTo(command);
        command.Options.Add(hostTable);
        command.Options.Add(progressInterval);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var sharing = await RedisSharing.OpenAsync(
                parseResult.GetValue(redis),
                parseResult.GetValue(redisTimeout) ?? RedisCliOption.DefaultTimeout,
                parseResult.GetValue(redisConnectTimeout) ?? RedisCliOption.DefaultConnectTimeout,
                console, writeStats: true, cancellationToken).ConfigureAwait(false);
            await using var disposeSharing = sharing.ConfigureAwait(false);
            var settings = new FetchSettings
            {
                Input = parseResult.GetValue(input)!,
                OutputPath = parseResult.GetValue(output),
                BodiesDirectory = parseResult.GetValue(bodies),
                Resume = parseResult.GetValue(resume),
                Concurrency = parseResult.GetValue(concurrency),
                PerHost = parseResult.GetValue(perHost),
                Headers = parseResult.GetValue(retry.Headers) ?? [],
                Redirects = redirects.CreateOptions(parseResult),
                MaxFileSize = parseResult.GetValue(maxFileSize) ?? BodyLimitCliOption.FetchDefault,
                DefaultHeaders = request.Headers(parseResult, []),
                Retry = request.Apply(parseResult, retry.CreateOptions(parseResult)),
                Hosts = hosts.Create(parseResult, parseResult.GetValue(perHost)),
                HostTablePath = parseResult.GetValue(hostTable),
                ProgressInterval = parseResult.GetValue(progressInterval) ?? FetchDefaults.ProgressInterval,
                Shard = parseResult.GetValue(shard),
                SharedState = sharing.State,
            };
            return (int)await new FetchRunner(console).RunAsync(settings, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
