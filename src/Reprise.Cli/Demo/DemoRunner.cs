using System.Globalization;
using Reprise.Chaos;
using Reprise.Cli.Console;
using Reprise.Cli.Fetch;

namespace Reprise.Cli.Demo;

/// <summary>
/// Does the work of <c>reprise demo</c>: starts the chaos server in-process with <see cref="DemoScenario"/>'s
/// hosts, fetches a few thousand URLs from it with <see cref="FetchRunner"/>, then shows the summary, what the
/// server saw, and where the results are.
/// </summary>
internal sealed class DemoRunner
{
    private readonly CliConsole _console;

    public DemoRunner(CliConsole console)
    {
        _console = console;
    }

    public async Task<ExitCode> RunAsync(int urlCount, string? outputPath, int concurrency, CancellationToken cancellationToken)
    {
        var resultsPath = Path.GetFullPath(outputPath ?? Path.Join(
            Path.GetTempPath(),
            string.Create(CultureInfo.InvariantCulture, $"reprise-demo-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}.jsonl")));

        var server = await ChaosServer.StartAsync(DemoScenario.CreateOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            WriteIntro(server, urlCount);
            var settings = new FetchSettings
            {
                Input = "(demo)",
                OutputPath = resultsPath,
                Concurrency = concurrency,
                Retry = new RepriseOptions(),
                HostNames = server.Hosts.Values.ToDictionary(static h => h.BaseAddress.GetLeftPart(UriPartial.Authority), static h => h.Name, StringComparer.Ordinal),
            };
            var report = await new FetchRunner(_console).RunAsync(settings, LinesAsync(server, urlCount), cancellationToken).ConfigureAwait(false);
            WriteServerView(server);

            // Failures are part of the show (the 404s always fail): the demo succeeds when it ran to the end.
            return report.ExitCode is ExitCode.Interrupted or ExitCode.UsageError ? report.ExitCode : ExitCode.Success;
        }
    }

    // The engine stops reading when the run is cancelled; the lines need no token of their own.
    private static IAsyncEnumerable<FetchInputLine> LinesAsync(ChaosServer server, int count)
        => DemoScenario.CreateUrls(server, count).Select(static (url, i) => new FetchInputLine(i + 1, url, null)).ToAsyncEnumerable();

    private void WriteIntro(ChaosServer server, int urlCount)
    {
        var error = _console.Error;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reprise demo: fetching {urlCount:N0} URLs from a chaos server on 127.0.0.1 with five hosts:"));
        foreach (var (name, what) in DemoScenario.Descriptions)
        {
            error.WriteLine($"  {name,-12} {server.Hosts[name].BaseAddress}  {what}");
        }

        error.Flush();
    }

    private void WriteServerView(ChaosServer server)
    {
        // The chaos server counts what a client did wrong: requests before a Retry-After it was given had passed.
        long total = 0, early = 0, groupEarly = 0;
        foreach (var host in server.Hosts.Values)
        {
            var stats = host.Stats;
            total += stats.TotalRequests;
            early += stats.EarlyRequests;
            groupEarly += stats.GroupEarlyRequests;
        }

        _console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"the server saw {total:N0} requests; {early:N0} came before a Retry-After given for their URL had passed, {groupEarly:N0} while their host's Retry-After was running."));
    }
}
