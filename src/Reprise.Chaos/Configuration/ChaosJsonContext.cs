using System.Text.Json.Serialization;
using Reprise.Chaos.Stats;

namespace Reprise.Chaos.Configuration;

/// <summary>Source-generated JSON for the options file and the <c>/_chaos/stats</c> answer.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChaosOptions))]
[JsonSerializable(typeof(ChaosStats))]
internal sealed partial class ChaosJsonContext : JsonSerializerContext
{
}
