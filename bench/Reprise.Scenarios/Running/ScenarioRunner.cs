using System.Globalization;
using System.Text.Json;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Scenarios.Reporting;
using Reprise.Scenarios.Scenarios;

namespace Reprise.Scenarios.Running;

/// <summary>
/// Starts the chaos server in this process, runs every selected scenario for every selected client (each client in
/// a child process), and writes the results.
/// </summary>
internal sealed class ScenarioRunner
{
    private readonly Arguments _arguments;
    private readonly TextWriter _out;
    private readonly TextWriter _progress;

    private const string WarmUpHost = "warm-up";

    public ScenarioRunner(Arguments arguments, TextWriter output, TextWriter progress)
    {
        _arguments = arguments;
        _out = output;
        _progress = progress;
    }

    public async Task<ExitCode> RunAsync(CancellationToken cancellationToken)
    {
        var profile = RunProfile.For(_arguments.Quick);
        var scenarios = ScenarioCatalog.Create(profile);
        if (Unknown(_arguments.Scenarios, scenarios.Select(static s => s.Name)) is { } badScenario)
        {
            await _progress.WriteLineAsync($"Unknown scenario '{badScenario}'. Known: {string.Join(", ", scenarios.Select(static s => s.Name))}.");
            return ExitCode.UsageError;
        }

        if (Unknown(_arguments.Clients, ClientNames.All) is { } badClient)
        {
            await _progress.WriteLineAsync($"Unknown client '{badClient}'. Known: {string.Join(", ", ClientNames.All)}.");
            return ExitCode.UsageError;
        }

        scenarios = [.. scenarios.Where(s => (_arguments.Scenarios?.Contains(s.Name) ?? true)
            && (!_arguments.NoRegretTable || NoRegretCatalog.TableRows.Contains(s.Name)))];
        var clients = ClientNames.All.Where(c => (_arguments.Clients?.Contains(c) ?? true)
            && (!_arguments.NoRegretTable || ClientNames.NoRegret.Contains(c) || ClientNames.IsCli(c))).ToList();
        var results = new ResultsDocument
        {
            Profile = profile.Name,
            Command = Command(),
            Started = DateTimeOffset.UtcNow,
            Machine = new MachineInfo(),
            Settings = Settings(profile),
            Scenarios = [.. scenarios.Select(static s => new ResultsDocument.ScenarioSummary(s.Name, s.Title, s.UrlCount))],
        };

        var options = new ChaosOptions();
        foreach (var scenario in scenarios)
        {
            options.Hosts.Add(scenario.Host);
        }

        options.Hosts.Add(new ChaosHostOptions { Name = WarmUpHost, Routes = { new ChaosRouteOptions { Path = "/", BodySize = 128 } } });

        await using (var server = await ChaosServer.StartAsync(options, cancellationToken: cancellationToken))
        {
            // The server runs in this process: without a warm-up, whichever client runs first meets a server the JIT has
            // not compiled yet (the bare HttpClient ran first and was the slowest bounded client in four of five runs).
            await _progress.WriteAsync("warming up the chaos server ");
            await WarmUpAsync(server.Hosts[WarmUpHost].BaseAddress, profile, cancellationToken);
            await _progress.WriteLineAsync("done");
            foreach (var scenario in scenarios)
            {
                var host = server.Hosts[scenario.Name];
                foreach (var client in clients.Where(scenario.Runs))
                {
                    // Forget every key, bucket and outage window: each client meets the host as it was at start.
                    server.Reset();
                    await _progress.WriteAsync($"{scenario.Name,-13} {client,-20} ");
                    var cpu = ChildCpu.Read();
                    var (report, failure) = ClientNames.IsCli(client)
                        ? await CliRunner.RunAsync(scenario, client, host.BaseAddress, profile, cancellationToken)
                        : await ChildProcess.RunAsync(scenario.Name, client, host.BaseAddress, profile.Quick, scenario.ChildTimeoutFor(profile), cancellationToken);
                    var cpuAfter = ChildCpu.Read();
                    var record = new RunRecord
                    {
                        Scenario = scenario.Name,
                        Client = client,
                        Urls = scenario.UrlCountFor(client),
                        ClientReport = report,
                        Server = ServerReport.From(host.Stats),
                        Failure = failure,
                        CpuSeconds = cpuAfter - cpu,
                        LoadAverage = MachineInfo.ReadLoadAverage(),
                    };
                    results.Runs.Add(record);
                    await _progress.WriteLineAsync(Summary(record));
                }
            }
        }

        var directory = Path.GetFullPath(_arguments.OutputDirectory ?? DefaultOutputDirectory());
        Directory.CreateDirectory(directory);
        var markdown = MarkdownReport.Write(results);
        var markdownPath = Path.Combine(directory, "results.md");
        var jsonPath = Path.Combine(directory, "results.json");
        await File.WriteAllTextAsync(markdownPath, markdown, CancellationToken.None);
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(results, ResultsJson.Indented), CancellationToken.None);

        await _progress.WriteLineAsync();
        await _progress.WriteLineAsync(markdown);
        await _out.WriteLineAsync(markdownPath);
        await _out.WriteLineAsync(jsonPath);

        var incomplete = results.Runs.Where(static r => !r.Complete).ToList();
        foreach (var run in incomplete)
        {
            await _progress.WriteLineAsync($"incomplete: {run.Scenario} / {run.Client}: {run.Failure ?? $"{run.Urls - run.ClientReport!.Results} URL(s) without a result"}");
        }

        return incomplete.Count == 0 ? ExitCode.Success : ExitCode.IncompleteRun;
    }

    private static string? Unknown(IReadOnlyList<string>? requested, IEnumerable<string> known)
        => requested?.FirstOrDefault(r => !known.Contains(r, StringComparer.Ordinal));

    private static string Summary(RunRecord run) => run.ClientReport is { } c
        ? string.Create(CultureInfo.InvariantCulture, $"{c.Succeeded,8:N0}/{c.Urls:N0} ok  {run.Server?.Requests,9:N0} requests  {c.WallSeconds,7:0.00} s{(c.Capped ? " (capped)" : string.Empty)}  cpu {run.CpuSeconds:0.00} s  {c.PeakWorkingSetBytes / (1024.0 * 1024),5:0} MB  load {run.LoadAverage:0.0}")
        : $"did not run: {run.Failure}";

    private static string Settings(RunProfile p) => string.Create(
        CultureInfo.InvariantCulture,
        $"{p.Retry.MaxAttempts} attempts, base delay {p.Retry.BaseDelay.TotalSeconds:0.#} s (exponential, each client's own jitter; naive loop 1, 2, 4 s), " +
        $"attempt timeout {p.Retry.AttemptTimeout.TotalSeconds:0.#} s and deadline {p.Retry.Deadline.TotalSeconds:0.#} s where the client has them (the no-regret rows: their own, see each row), " +
        $"HttpClient.Timeout {p.ClientTimeout.TotalSeconds:0.#} s, concurrency {p.Concurrency} (naive loop: none); each client in its own process");

    private string Command()
    {
        var args = new List<string>();
        if (_arguments.Quick)
        {
            args.Add("--quick");
        }

        if (_arguments.NoRegretTable)
        {
            args.Add("--table no-regret");
        }

        if (_arguments.Scenarios is { } s)
        {
            args.Add($"--scenarios {string.Join(',', s)}");
        }

        if (_arguments.Clients is { } c)
        {
            args.Add($"--clients {string.Join(',', c)}");
        }

        return $"dotnet run -c Release --project bench/Reprise.Scenarios{(args.Count > 0 ? " -- " + string.Join(' ', args) : string.Empty)}";
    }

    // bench/results under the repository (found by its Reprise.slnx), whether run from its root or elsewhere in it.
    private static string DefaultOutputDirectory()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Reprise.slnx")))
                {
                    return Path.Combine(dir.FullName, "bench", "results");
                }
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "results");
    }

    /// <summary>Sends the server enough requests, at the clients' concurrency, for its hot paths to reach tier-1 code.</summary>
    private static async Task WarmUpAsync(Uri baseAddress, RunProfile profile, CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        var options = new ParallelOptions { MaxDegreeOfParallelism = profile.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, profile.Quick ? 5_000 : 30_000), options, async (i, token) =>
        {
            using var response = await client.GetAsync(new Uri(baseAddress, "/w" + i.ToString(CultureInfo.InvariantCulture)), token);
            await response.Content.CopyToAsync(Stream.Null, token);
        });

        // Let the tiered JIT's background compilation catch up before the first client starts its clock.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
    }
}
