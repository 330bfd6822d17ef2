using System.Globalization;
using Reprise.Cli.Console;
using Reprise.Cli.Parsing;
using Spectre.Console;

namespace Reprise.Cli.Fetch;

/// <summary>Shows a <see cref="FetchSummary"/> on stderr: a table on a terminal, plain lines otherwise.</summary>
internal static class SummaryRenderer
{
    public static void Write(FetchSummary summary, CliConsole console, string? resultsPath)
    {
        if (console.Terminal is { } terminal)
        {
            WriteTable(summary, terminal, resultsPath);
        }
        else
        {
            WritePlain(summary, console.Error, resultsPath);
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

    private static string Statuses(FetchSummary summary)
        => string.Join(", ", summary.Statuses.Select(static s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} x{s.Value}")));

    private static void WritePlain(FetchSummary summary, TextWriter error, string? resultsPath)
    {
        error.WriteLine(Headline(summary));
        if (summary.Statuses.Count > 0)
        {
            error.WriteLine($"statuses: {Statuses(summary)}");
        }

        foreach (var host in summary.Hosts)
        {
            error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"host {host.Host}: {host.Requests} request(s), {host.Succeeded} ok, {host.Failed} failed, {host.Attempts} attempt(s)"));
        }

        if (resultsPath is not null)
        {
            error.WriteLine($"results: {resultsPath}");
        }
    }

    private static void WriteTable(FetchSummary summary, IAnsiConsole terminal, string? resultsPath)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle("reprise: summary") };
        table.AddColumn("host");
        table.AddColumn(new TableColumn("requests").RightAligned());
        table.AddColumn(new TableColumn("ok").RightAligned());
        table.AddColumn(new TableColumn("failed").RightAligned());
        table.AddColumn(new TableColumn("attempts").RightAligned());
        foreach (var host in summary.Hosts)
        {
            table.AddRow(
                Markup.Escape(host.Host),
                Number(host.Requests),
                $"[green]{Number(host.Succeeded)}[/]",
                host.Failed == 0 ? "0" : $"[red]{Number(host.Failed)}[/]",
                Number(host.Attempts));
        }

        table.AddEmptyRow();
        table.AddRow("[bold]total[/]", Number(summary.Total), $"[green]{Number(summary.Succeeded)}[/]", Number(summary.Failed + summary.Invalid), Number(summary.Attempts));
        terminal.Write(table);
        terminal.MarkupLine(Markup.Escape(Headline(summary)));
        if (summary.Statuses.Count > 0)
        {
            terminal.MarkupLine($"statuses: {Markup.Escape(Statuses(summary))}");
        }

        if (resultsPath is not null)
        {
            terminal.MarkupLine($"results: [link]{Markup.Escape(resultsPath)}[/]");
        }
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
