using System.Buffers.Binary;

namespace CretoAI.Fast.Storage.Tests;

/// <summary>Adds a signed 64-bit delta to a counter (the shape reputation and stake updates take).</summary>
internal sealed class CounterUpdater : IValueUpdater
{
    public static readonly CounterUpdater Instance = new();

    public int InitialLength(ReadOnlySpan<byte> argument) => 8;

    public void WriteInitial(ReadOnlySpan<byte> argument, Span<byte> destination) => argument[..8].CopyTo(destination);

    public int UpdatedLength(ReadOnlySpan<byte> current, ReadOnlySpan<byte> argument) => 8;

    public void WriteUpdated(ReadOnlySpan<byte> current, ReadOnlySpan<byte> argument, Span<byte> destination) =>
        BinaryPrimitives.WriteInt64LittleEndian(destination, BinaryPrimitives.ReadInt64LittleEndian(current) + BinaryPrimitives.ReadInt64LittleEndian(argument));
}
