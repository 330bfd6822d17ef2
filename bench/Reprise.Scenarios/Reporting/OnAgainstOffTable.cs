using System.Globalization;
using System.Text;

namespace Reprise.Scenarios.Reporting;

/// <summary>Writes a scenario's "on against off" table: each client with host coordination on against itself off.</summary>
internal static class OnAgainstOffTable
{
    /// <summary>Appends the table of the scenario's pairs, or nothing if it has none.</summary>
    public static void Append(StringBuilder md, IReadOnlyList<OnAgainstOff> pairs)
    {
        if (pairs.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine("On against off, to the same results (ok times to 10 ms, counted against on):");
        md.AppendLine();
        md.AppendLine("| on / off | wall s | requests | ok | on's time to off's ok count s | / off's wall | on's ok by off's end |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var pair in pairs)
        {
            md.AppendLine(Row(pair));
        }
    }

    public static string Row(OnAgainstOff p) => Invariant(
        $"| {p.On} / {p.Off} | {p.WallOn:0.00} / {p.WallOff:0.00} | {p.RequestsOn:N0} / {p.RequestsOff:N0} | {p.OkOn:N0} / {p.OkOff:N0} | {TimeToOffOk(p)} | {Ratio(p)} | {p.OnOkByOffEnd:N0} |");

    private static string TimeToOffOk(OnAgainstOff p) => p.OnTimeToOffOk switch
    {
        null => Invariant($"not reached (on: {p.OkOn:N0})"),
        _ when p.OkOff == 0 => "0 (off: none ok)",
        { } t => Invariant($"{t:0.00}"),
    };

    private static string Ratio(OnAgainstOff p) => p.RatioToOffWall is { } r ? Invariant($"{r:0.00}") : "–";

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
