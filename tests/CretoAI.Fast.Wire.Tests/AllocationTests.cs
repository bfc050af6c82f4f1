using System.Buffers;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

/// <summary>
/// The hot path allocates nothing: counted with the runtime's per-thread allocation counter (an
/// allocation count, not a timing, so it is exact and machine-independent).
/// </summary>
public class AllocationTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(256)]
    [InlineData(4096)]
    public void Encoding_and_decoding_a_frame_allocates_nothing(int payloadBytes)
    {
        var payload = new byte[payloadBytes];
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        var decoder = new FrameDecoder(WireLimits.DefaultMaxPayloadLength);
        var encoded = Frames.Encode(MessageType.Ping, 1, payload);
        var split = SegmentedSequence.SplitAt(encoded, encoded.Length / 2);

        long checksum = 0;
        for (var warm = 0; warm < 100; warm++)
        {
            checksum += Cycle(output, decoder, payload, encoded, split);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            checksum += Cycle(output, decoder, payload, encoded, split);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(1100L * 3 * payloadBytes, checksum);
    }

    private static long Cycle(ArrayBufferWriter<byte> output, FrameDecoder decoder, byte[] payload, byte[] encoded, ReadOnlySequence<byte> split)
    {
        output.ResetWrittenCount();
        FrameEncoder.Write(output, MessageType.Ping, FrameFlags.None, 7, payload);
        var whole = new ReadOnlySequence<byte>(output.WrittenMemory);
        decoder.TryDecode(ref whole, out var a, out _);
        var again = new ReadOnlySequence<byte>(encoded);
        decoder.TryDecode(ref again, out var b, out _);
        var pieces = split;
        decoder.TryDecode(ref pieces, out var c, out _);
        return a.Payload.Length + b.Payload.Length + c.Payload.Length;
    }
}
