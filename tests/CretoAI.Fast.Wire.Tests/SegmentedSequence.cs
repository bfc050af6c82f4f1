using System.Buffers;

namespace CretoAI.Fast.Wire.Tests;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> from pieces, as a PipeReader delivers data spanning buffers.</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> From(params byte[][] pieces)
    {
        Piece? first = null;
        Piece? last = null;
        foreach (var bytes in pieces)
        {
            var piece = new Piece(bytes, last);
            first ??= piece;
            last = piece;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    /// <summary>Splits <paramref name="bytes"/> at the given offsets (ascending, inside the array).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] bytes, params int[] offsets)
    {
        var pieces = new List<byte[]>();
        var start = 0;
        foreach (var offset in offsets)
        {
            pieces.Add(bytes[start..offset]);
            start = offset;
        }

        pieces.Add(bytes[start..]);
        return From([.. pieces]);
    }

    public static ReadOnlySequence<byte> OneBytePieces(byte[] bytes) => From([.. bytes.Select(b => new[] { b })]);

    private sealed class Piece : ReadOnlySequenceSegment<byte>
    {
        public Piece(byte[] bytes, Piece? previous)
        {
            Memory = bytes;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
