using FASTER.core;

namespace CretoAI.Fast.Storage;

/// <summary>Tells FASTER how much room a read-modify-write result needs (4-byte length prefix + payload).</summary>
internal sealed class ShardValueLength : IVariableLengthStruct<SpanByte, ShardInput>
{
    public static readonly ShardValueLength Instance = new();

    public int GetInitialLength(ref ShardInput input) =>
        sizeof(int) + input.Updater!.InitialLength(input.Argument.AsReadOnlySpan());

    public int GetLength(ref SpanByte t, ref ShardInput input) =>
        sizeof(int) + input.Updater!.UpdatedLength(t.AsReadOnlySpan(), input.Argument.AsReadOnlySpan());
}
