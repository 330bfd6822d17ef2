using System.Diagnostics;
using System.Text.Json;
using Reprise.Scenarios.Clients;
using Reprise.Scenarios.Reporting;
using Reprise.Scenarios.Scenarios;

namespace Reprise.Scenarios.Running;

/// <summary>
/// Runs the built <c>reprise fetch</c> (src/Reprise.Cli, Release) over a scenario's URLs as a process of its own,
/// with its defaults (and <c>--per-host 64</c> for <see cref="ClientNames.FetchPerHost64"/>), and reads its result
/// lines back. The wall time is the process's, start-up included (about half a second).
/// </summary>
internal static class CliRunner
{
    public static async Task<(ClientReport? Report, string? Failure)> RunAsync(
        ScenarioDefinition scenario, string client, Uri baseAddress, RunProfile profile, CancellationToken cancellationToken)
    {
        if (FindCli() is not { } cli)
        {
            return (null, "the CLI is not built: dotnet build -c Release src/Reprise.Cli");
        }

        var count = scenario.UrlCountFor(client);
        var directory = Directory.CreateTempSubdirectory("reprise-bench-");
        try
        {
            var input = Path.Combine(directory.FullName, "urls.txt");
            var output = Path.Combine(directory.FullName, "results.jsonl");
            await File.WriteAllLinesAsync(input, scenario.Urls(baseAddress, count), cancellationToken);
            var start = StartInfo(cli, input, output, client);
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var capped = await ProcessCap.WaitOrKillAsync(process, scenario.Cap ?? profile.ChildTimeout, cancellationToken);
            watch.Stop();
            await stdout;
            var errors = (await stderr).Trim();
            if (!File.Exists(output))
            {
                return (null, $"exit code {process.ExitCode}, no results: {errors.Split('\n')[0]}");
            }

            return (Read(output, scenario, client, count, watch.Elapsed, capped, profile), null);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static ClientReport Read(string path, ScenarioDefinition scenario, string client, long count, TimeSpan wall, bool capped, RunProfile profile)
    {
        var tally = new Tally();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number)
            {
                tally.Status(status.GetInt32());
            }
            else
            {
                tally.Failure(root.TryGetProperty("outcome", out var outcome) ? outcome.GetString() ?? "unknown" : "unknown");
            }

            if (root.TryGetProperty("elapsed_ms", out var elapsed) && elapsed.ValueKind == JsonValueKind.Number)
            {
                tally.Took(TimeSpan.FromMilliseconds(elapsed.GetInt64()));
            }
        }

        return new ClientReport
        {
            Scenario = scenario.Name,
            Client = client,
            Urls = count,
            ExpectedStatus = scenario.ExpectedStatus,
            Results = tally.Results,
            Succeeded = tally.CountOf(scenario.ExpectedStatus) + scenario.AlsoExpected.Sum(tally.CountOf),
            Capped = capped && tally.Results < count,
            LongestSeconds = tally.Longest.TotalSeconds,
            DeadlineSeconds = scenario.RetryFor(profile).Deadline.TotalSeconds,
            Statuses = tally.Statuses(),
            Errors = tally.Errors(),
            WallSeconds = wall.TotalSeconds,
        };
    }

    private static ProcessStartInfo StartInfo(string cli, string input, string output, string client)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cli.EndsWith(".dll", StringComparison.Ordinal))
        {
            start.FileName = "dotnet";
            start.ArgumentList.Add(cli);
        }
        else
        {
            start.FileName = cli;
        }

        foreach (var arg in new[] { "fetch", input, "--out", output })
        {
            start.ArgumentList.Add(arg);
        }

        if (client == ClientNames.FetchPerHost64)
        {
            start.ArgumentList.Add("--per-host");
            start.ArgumentList.Add("64");
        }

        return start;
    }

    /// <summary>Finds the Release build of the CLI under the repository (its apphost, or its dll).</summary>
    private static string? FindCli()
    {
        foreach (var from in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "Reprise.slnx")))
                {
                    continue;
                }

                var bin = Path.Combine(dir.FullName, "src", "Reprise.Cli", "bin", "Release", "net10.0");
                var host = Path.Combine(bin, OperatingSystem.IsWindows() ? "Reprise.Cli.exe" : "Reprise.Cli");
                var dll = Path.Combine(bin, "Reprise.Cli.dll");
                return File.Exists(host) ? host : File.Exists(dll) ? dll : null;
            }
        }

        return null;
    }
}
