using System.Text.Json.Serialization;

namespace Reprise.Cli.Fetch;

/// <summary>Source-generated serialization of the results file: snake_case, one compact object a line.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(FetchResultLine))]
internal sealed partial class FetchJsonContext : JsonSerializerContext;
