using System.Text.Json.Serialization;
using CretoAI.Fast.LoadGen.Report;
using CretoAI.Fast.LoadGen.Sla;

namespace CretoAI.Fast.LoadGen;

/// <summary>Source-generated JSON for the SLA file and the result file: no reflection, trimming- and AOT-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SlaDocument))]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class LoadGenJsonContext : JsonSerializerContext
{
}
