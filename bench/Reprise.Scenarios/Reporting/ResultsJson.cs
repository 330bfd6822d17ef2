using System.Text.Json;

namespace Reprise.Scenarios.Reporting;

/// <summary>The JSON settings of the results file and of the child processes' reports.</summary>
internal static class ResultsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static JsonSerializerOptions Indented { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
