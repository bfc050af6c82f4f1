using System.Buffers;

namespace CretoAI.Fast.Benchmarks.Codec;

/// <summary>Builds multi-segment sequences, the shape a PipeReader hands out when a frame spans buffers.</summary>
internal static class Segments
{
    /// <summary>Consecutive segments of <paramref name="segmentLength"/> bytes (the last one shorter).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int segmentLength)
    {
        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += segmentLength)
        {
            var memory = bytes.AsMemory(offset, Math.Min(segmentLength, bytes.Length - offset));
            var segment = new Segment(memory, last);
            first ??= segment;
            last = segment;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    /// <summary>Two segments: bytes before <paramref name="cut"/> and bytes from it on.</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] bytes, int cut)
    {
        var first = new Segment(bytes.AsMemory(0, cut), previous: null);
        var second = new Segment(bytes.AsMemory(cut), first);
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
