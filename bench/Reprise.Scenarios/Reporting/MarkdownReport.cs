using System.Globalization;
using System.Text;

namespace Reprise.Scenarios.Reporting;

/// <summary>Writes the results as one Markdown table per scenario, as pasted into docs/benchmarks.md.</summary>
internal static class MarkdownReport
{
    private const double MiB = 1024 * 1024;

    public static string Write(ResultsDocument results)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Scenario results ({results.Profile} run, {results.Started:yyyy-MM-dd HH:mm} UTC)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {results.Machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Settings: {results.Settings}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{results.Command}`");
        var loads = results.Runs.Select(static r => r.LoadAverage).OfType<double>().ToList();
        if (loads.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- 1-minute load average: {results.Machine.LoadAverageAtStart:0.0} at start, {loads.Min():0.0} to {loads.Max():0.0} after each client (2 cores: above 2, other work competed with the run)");
        }
        foreach (var scenario in results.Scenarios)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"**{scenario.Name}** — {scenario.Title}");
            md.AppendLine();
            md.AppendLine("| client | ok / failed / URLs | requests | req/URL | 429s | 503s | early (URL / host) | wall s | CPU s | longest URL s / deadline | URLs/s | peak WS MB | alloc MB | other outcomes |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            var runs = results.Runs.Where(r => r.Scenario == scenario.Name).ToList();
            foreach (var run in runs)
            {
                md.AppendLine(Row(run));
            }

            OnAgainstOffTable.Append(md, [.. OnAgainstOff.Pairs(runs)]);
        }

        return md.ToString();
    }

    private static string Row(RunRecord run)
    {
        var c = run.ClientReport;
        var s = run.Server;
        if (c is null)
        {
            return Invariant($"| {run.Client} | – / – / {run.Urls:N0} | {s?.Requests:N0} | | | | | | | | | | | did not run: {run.Failure} |");
        }

        var perUrl = c.Urls == 0 || s is null ? 0 : (double)s.Requests / c.Urls;
        var rate = c.WallSeconds > 0 ? c.Results / c.WallSeconds : 0;
        return Invariant(
            $"| {run.Client} | {c.Succeeded:N0} / {c.Results - c.Succeeded:N0} / {c.Urls:N0} | {s?.Requests:N0} | {perUrl:0.00} | {s?.TooManyRequests:N0} | {s?.ServiceUnavailable:N0} | {s?.EarlyRequests:N0} / {s?.GroupEarlyRequests:N0} | {c.WallSeconds:0.00}{(c.Capped ? " (cap)" : string.Empty)} | {run.CpuSeconds:0.00} | {c.LongestSeconds:0.0} / {c.DeadlineSeconds:0} | {rate:N0} | {c.PeakWorkingSetBytes / MiB:0} | {c.AllocatedBytes / MiB:0} | {Others(run)} |");
    }

    // Final answers other than the expected status, and errors, largest first; and a missing result is loud.
    private static string Others(RunRecord run)
    {
        var c = run.ClientReport!;
        var parts = new List<string>();
        if (c.Capped)
        {
            parts.Add(Invariant($"**stopped at the cap: {c.Urls - c.Results:N0} without a result**"));
        }
        else if (c.Results != c.Urls)
        {
            parts.Add(Invariant($"**{c.Urls - c.Results:N0} without a result**"));
        }

        var expected = c.ExpectedStatus.ToString(CultureInfo.InvariantCulture);
        var others = c.Statuses.Where(p => p.Key != expected)
            .Concat(c.Errors)
            .OrderByDescending(static p => p.Value)
            .Take(3)
            .Select(static p => Invariant($"{p.Key} ×{p.Value:N0}"));
        parts.AddRange(others);
        return string.Join(", ", parts);
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
