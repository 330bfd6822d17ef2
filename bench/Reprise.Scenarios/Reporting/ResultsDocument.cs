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

    /// <summary>Gets each client with host coordination on against the same client off, per scenario (issue 12).</summary>
    public IReadOnlyList<OnAgainstOff> OnAgainstOff => [.. Reporting.OnAgainstOff.Pairs(Runs)];

    public sealed record ScenarioSummary(string Name, string Title, long Urls);
}
