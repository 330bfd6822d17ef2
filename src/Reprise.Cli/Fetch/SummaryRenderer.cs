using System.Globalization;
using Reprise.Cli.Console;
using Reprise.Cli.Parsing;
using Spectre.Console;

namespace Reprise.Cli.Fetch;

/// <summary>
/// Shows a <see cref="FetchSummary"/> on stderr: a table on a terminal, plain lines otherwise. The busiest hosts and
/// the troubled ones (failures, or something the client did to them) get a row each; the rest fold into one line,
/// so a run over 10,000 hosts prints a screenful, and <c>--host-table</c> writes every row to a file.
/// </summary>
internal static class SummaryRenderer
{
    /// <summary>Most hosts with a row of their own: the troubled first, then the busiest.</summary>
    public const int MaxHostRows = 12;

    private const int MaxBusiestRows = 5;

    public static void Write(FetchSummary summary, CliConsole console, string? resultsPath, string? hostTablePath = null)
    {
        if (hostTablePath is not null)
        {
            WriteHostTable(summary, console, hostTablePath);
        }

        if (console.Terminal is { } terminal)
        {
            WriteTable(summary, terminal, resultsPath, hostTablePath);
        }
        else
        {
            WritePlain(summary, console.Error, resultsPath, hostTablePath);
        }
    }

    public static string Headline(FetchSummary summary)
    {
        var seconds = Math.Max(summary.Elapsed.TotalSeconds, 0.001);
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{summary.Total} URL(s) in {DurationParser.Format(summary.Elapsed)} ({summary.Total / seconds:0}/s): {summary.Succeeded} succeeded, {summary.Failed} failed, {summary.Invalid} invalid; {summary.Retried} retried, {summary.Attempts} attempts");
        if (summary.Shard is { } shard)
        {
            text = $"shard {shard}: {text}";
        }

        if (summary.Skipped > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; {summary.Skipped} skipped (already in the results)");
        }

        if (summary.Interrupted > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; {summary.Interrupted} interrupted (run again with --resume)");
        }

        return text;
    }

    /// <summary>Splits the hosts into the rows shown and the rest, folded.</summary>
    public static (List<(FetchSummary.HostRow Row, string? Actions)> Shown, List<FetchSummary.HostRow> Folded) Fold(FetchSummary summary)
    {
        var all = summary.Hosts.Select(h => (Row: h, Actions: h.EngineKey is null ? null : summary.Activity.Describe(h.EngineKey))).ToList();
        var troubled = all.Where(static h => h.Row.Failed > 0 || h.Actions is not null)
            .OrderByDescending(static h => h.Row.Failed)
            .ThenByDescending(static h => h.Row.Requests)
            .Take(MaxHostRows - MaxBusiestRows)
            .ToList();
        var busiest = all.Except(troubled)
            .OrderByDescending(static h => h.Row.Requests)
            .Take(MaxHostRows - troubled.Count)
            .ToList();
        var shown = troubled.Concat(busiest).OrderBy(static h => h.Row.Host, StringComparer.Ordinal).ToList();
        var shownRows = shown.Select(static h => h.Row).ToHashSet();
        return (shown, all.Select(static h => h.Row).Where(r => !shownRows.Contains(r)).ToList());
    }

    private static string Statuses(FetchSummary summary)
        => string.Join(", ", summary.Statuses.Select(static s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} x{s.Value}")));

    private static string Folded(List<FetchSummary.HostRow> folded) => string.Create(
        CultureInfo.InvariantCulture,
        $"{folded.Count:N0} other host(s): {folded.Sum(static h => h.Requests):N0} request(s), {folded.Sum(static h => h.Succeeded):N0} ok, {folded.Sum(static h => h.Failed):N0} failed, {folded.Sum(static h => h.Attempts):N0} attempt(s)");

    private static void WritePlain(FetchSummary summary, TextWriter error, string? resultsPath, string? hostTablePath)
    {
        error.WriteLine(Headline(summary));
        if (summary.Statuses.Count > 0)
        {
            error.WriteLine($"statuses: {Statuses(summary)}");
        }

        var (shown, folded) = Fold(summary);
        foreach (var (host, actions) in shown)
        {
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"host {host.Host}: {host.Requests} request(s), {host.Succeeded} ok, {host.Failed} failed, {host.Attempts} attempt(s)");
            error.WriteLine(actions is null ? line : $"{line}; {actions}");
        }

        if (folded.Count > 0)
        {
            error.WriteLine($"and {Folded(folded)}{(hostTablePath is null ? " (--host-table writes every host)" : string.Empty)}");
        }

        if (hostTablePath is not null)
        {
            error.WriteLine($"host table: {Path.GetFullPath(hostTablePath)}");
        }

        if (resultsPath is not null)
        {
            error.WriteLine($"results: {resultsPath}");
        }
    }

    private static void WriteTable(FetchSummary summary, IAnsiConsole terminal, string? resultsPath, string? hostTablePath)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle("reprise: summary") };
        table.AddColumn("host");
        table.AddColumn(new TableColumn("requests").RightAligned());
        table.AddColumn(new TableColumn("ok").RightAligned());
        table.AddColumn(new TableColumn("failed").RightAligned());
        table.AddColumn(new TableColumn("attempts").RightAligned());
        table.AddColumn("what the client did");
        var (shown, folded) = Fold(summary);
        foreach (var (host, actions) in shown)
        {
            table.AddRow(
                Markup.Escape(host.Host),
                Number(host.Requests),
                $"[green]{Number(host.Succeeded)}[/]",
                host.Failed == 0 ? "0" : $"[red]{Number(host.Failed)}[/]",
                Number(host.Attempts),
                actions is null ? string.Empty : $"[yellow]{Markup.Escape(actions)}[/]");
        }

        if (folded.Count > 0)
        {
            table.AddRow(
                Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{folded.Count:N0} other host(s)")),
                Number(folded.Sum(static h => h.Requests)),
                $"[green]{Number(folded.Sum(static h => h.Succeeded))}[/]",
                Number(folded.Sum(static h => h.Failed)),
                Number(folded.Sum(static h => h.Attempts)),
                hostTablePath is null ? "--host-table writes every host" : string.Empty);
        }

        table.AddEmptyRow();
        table.AddRow("[bold]total[/]", Number(summary.Total), $"[green]{Number(summary.Succeeded)}[/]", Number(summary.Failed + summary.Invalid), Number(summary.Attempts), string.Empty);
        terminal.Write(table);
        terminal.MarkupLine(Markup.Escape(Headline(summary)));
        if (summary.Statuses.Count > 0)
        {
            terminal.MarkupLine($"statuses: {Markup.Escape(Statuses(summary))}");
        }

        if (hostTablePath is not null)
        {
            terminal.MarkupLine($"host table: {Markup.Escape(Path.GetFullPath(hostTablePath))}");
        }

        if (resultsPath is not null)
        {
            terminal.MarkupLine($"results: [link]{Markup.Escape(resultsPath)}[/]");
        }
    }

    private static void WriteHostTable(FetchSummary summary, CliConsole console, string path)
    {
        try
        {
            using var writer = new StreamWriter(path, append: false);
            writer.WriteLine("host\trequests\tok\tfailed\tattempts\twhat the client did");
            foreach (var host in summary.Hosts)
            {
                var actions = host.EngineKey is null ? null : summary.Activity.Describe(host.EngineKey);
                writer.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{host.Host}\t{host.Requests}\t{host.Succeeded}\t{host.Failed}\t{host.Attempts}\t{actions}"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.WriteError($"--host-table: cannot write '{path}': {ex.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
