using System.Diagnostics;
using System.Text.Json;
using Reprise.Scenarios.Clients;
using Reprise.Scenarios.Reporting;
using Reprise.Scenarios.Scenarios;

namespace Reprise.Scenarios.Running;

/// <summary>
/// Runs one client through one scenario in a process of its own, so that its peak memory is its own, and writes
/// its <see cref="ClientReport"/> as one JSON line on stdout.
/// </summary>
internal static class ChildRunner
{
    public static async Task<ExitCode> RunAsync(string scenarioName, string clientName, Uri baseAddress, bool quick, TextWriter output, CancellationToken cancellationToken)
    {
        var profile = RunProfile.For(quick);
        var scenario = ScenarioCatalog.Create(profile).Single(s => s.Name == scenarioName);
        var count = scenario.UrlCountFor(clientName);

        await using var client = ClientFactory.Create(clientName, profile, scenario);

        // Warm up on the host's uncounted stats page, through the same path, at full concurrency: the JIT has run
        // and the connections are open before the clock starts, for every client alike.
        var warmUp = Enumerable.Repeat(new Uri(baseAddress, "_chaos/stats").AbsoluteUri, profile.Concurrency * 2);
        await client.RunAsync(warmUp, new Tally(), cancellationToken);

        var okClock = new OkClock([scenario.ExpectedStatus, .. scenario.AlsoExpected], scenario.ChildTimeoutFor(profile));
        var tally = new Tally(okClock);
        var baseline = Environment.WorkingSet;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var started = Stopwatch.GetTimestamp();
        okClock.Start(started);
        var capped = false;
        using (var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            if (scenario.Cap is { } limit)
            {
                cap.CancelAfter(limit);
            }

            try
            {
                await client.RunAsync(scenario.Urls(baseAddress, count), tally, cap.Token);
            }
            catch (OperationCanceledException) when (cap.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Stopped at the scenario's cap: the report says how many URLs were done by then.
            }

            // The bulk engine ends its stream on cancellation instead of throwing, with or without results for the rest.
            capped = cap.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
        }

        var wall = Stopwatch.GetElapsedTime(started);

        using var process = Process.GetCurrentProcess();
        var report = new ClientReport
        {
            Scenario = scenario.Name,
            Client = clientName,
            Urls = count,
            ExpectedStatus = scenario.ExpectedStatus,
            Results = tally.Results,
            Succeeded = tally.CountOf(scenario.ExpectedStatus) + scenario.AlsoExpected.Sum(tally.CountOf),
            Capped = capped,
            LongestSeconds = tally.Longest.TotalSeconds,
            DeadlineSeconds = scenario.RetryFor(profile).Deadline.TotalSeconds,
            Statuses = tally.Statuses(),
            Errors = tally.Errors(),
            WallSeconds = wall.TotalSeconds,
            OkTimeline = okClock.Timeline(),
            BaselineWorkingSetBytes = baseline,
            PeakWorkingSetBytes = process.PeakWorkingSet64,
            AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated,
            Gen0Collections = GC.CollectionCount(0) - gen0,
            Gen1Collections = GC.CollectionCount(1) - gen1,
            Gen2Collections = GC.CollectionCount(2) - gen2,
        };
        await output.WriteLineAsync(JsonSerializer.Serialize(report, ResultsJson.Options));
        return ExitCode.Success;
    }
}
