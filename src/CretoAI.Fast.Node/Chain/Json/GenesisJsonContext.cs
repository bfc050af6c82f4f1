using System.Text.Json;
using System.Text.Json.Serialization;

namespace CretoAI.Fast.Node.Chain.Json;

/// <summary>
/// Source-generated (reflection-free, NativeAOT-safe) serialization of <see cref="GenesisDocument"/>:
/// snake_case names, comments and trailing commas allowed, unknown and repeated fields refused.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    IndentSize = 2)]
[JsonSerializable(typeof(GenesisDocument))]
internal sealed partial class GenesisJsonContext : JsonSerializerContext
{
}
