namespace Reprise.Scenarios.Reporting;

/// <summary>Everything one run produced: the JSON file, from which the Markdown table is also written.</summary>
internal sealed class ResultsDocument
{
    public required string Profile { get; init; }

    public required string Command { get; init; }

    public required DateTimeOffset Started { get; init; }

    public required MachineInfo Machine { get; init; }

    /// <summary>Gets the settings every client shared, in words.</summary>
    public required string Settings { get; init; }

    public required List<ScenarioSummary> Scenarios { get; init; }

    public List<RunRecord> Runs { get; } = [];

    public sealed record ScenarioSummary(string Name, string Title, long Urls);
}
