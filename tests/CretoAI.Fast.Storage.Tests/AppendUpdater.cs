namespace CretoAI.Fast.Storage.Tests;

/// <summary>Appends the argument to the value: a read-modify-write that grows the record.</summary>
internal sealed class AppendUpdater : IValueUpdater
{
    public static readonly AppendUpdater Instance = new();

    public int InitialLength(ReadOnlySpan<byte> argument) => argument.Length;

    public void WriteInitial(ReadOnlySpan<byte> argument, Span<byte> destination) => argument.CopyTo(destination);

    public int UpdatedLength(ReadOnlySpan<byte> current, ReadOnlySpan<byte> argument) => current.Length + argument.Length;

    public void WriteUpdated(ReadOnlySpan<byte> current, ReadOnlySpan<byte> argument, Span<byte> destination)
    {
        current.CopyTo(destination);
        argument.CopyTo(destination[current.Length..]);
    }
}
