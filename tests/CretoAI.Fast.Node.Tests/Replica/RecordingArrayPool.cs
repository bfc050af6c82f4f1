using System.Buffers;

namespace CretoAI.Fast.Node.Tests.Replica;

/// <summary>An array pool for tests: hands out oversized arrays and records what comes back.</summary>
internal sealed class RecordingArrayPool : ArrayPool<byte>
{
    public List<byte[]> Rented { get; } = [];

    public List<byte[]> Returned { get; } = [];

    public override byte[] Rent(int minimumLength)
    {
        var array = new byte[minimumLength + 100];
        Rented.Add(array);
        return array;
    }

    public override void Return(byte[] array, bool clearArray = false) => Returned.Add(array);
}
