using System.Buffers;
using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Messages.Codec;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Fuzz;

/// <summary>
/// The code under fuzzing: whatever bytes come in, these must return normally. An exception that
/// escapes is a crash for AFL++ and a failing regression test in CretoAI.Fast.Wire.Tests.
/// </summary>
public static class FuzzTargets
{
    /// <summary>The frame decoder as a transport drives it, and the payload parsers of the frames it yields.</summary>
    public static void Frame(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        DecodeWholeAndSplit(bytes);

        // A mutated input almost never carries a correct CRC-32C, so on its own the fuzzer would
        // stop at the checksum and never reach the payload parsers behind it. The second pass
        // repairs the checksum of every frame whose length fits, so what lies beyond is explored too.
        if (RepairChecksums(bytes))
        {
            DecodeWholeAndSplit(bytes);
        }
    }

    /// <summary>The handshake and error payload parsers fed raw bytes, whole and split in two segments.</summary>
    public static void Handshake(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        ParseAllPayloads(new ReadOnlySequence<byte>(bytes));
        if (bytes.Length > 1)
        {
            ParseAllPayloads(Split(bytes, CutPoint(bytes)));
        }
    }

    /// <summary>
    /// Every consensus-codec decoder fed one payload (a ConsensusMessage, SyncRequest or SyncResponse
    /// frame body, or a WAL record). Besides not throwing, each must leave its outputs null on an error
    /// and, on success, give objects that re-encode to exactly the input: the encoding is canonical, so
    /// anything else is a decoder that accepted bytes it does not understand.
    /// </summary>
    public static void Consensus(ReadOnlySpan<byte> input)
    {
        var limits = ConsensusCodecLimits.Default;
        var writer = new ArrayBufferWriter<byte>();

        var error = ConsensusCodec.TryRead(input, limits, out var message);
        Expect((error == ConsensusDecodeError.None) == (message is not null), "ConsensusCodec: error and message disagree");
        if (message is not null)
        {
            ConsensusCodec.Write(writer, message);
            Expect(writer.WrittenSpan.SequenceEqual(input), "ConsensusCodec: decoded message re-encodes differently");
        }

        error = CommittedBlockCodec.TryRead(input, limits, out var block, out var certificate);
        Expect((error == ConsensusDecodeError.None) == (block is not null && certificate is not null), "CommittedBlockCodec: error and outputs disagree");
        if (block is not null && certificate is not null)
        {
            writer.Clear();
            CommittedBlockCodec.Write(writer, block, certificate);
            Expect(writer.WrittenSpan.SequenceEqual(input), "CommittedBlockCodec: decoded block re-encodes differently");
        }

        error = CommittedBlockCodec.TryReadBatch(input, limits, out var batch);
        Expect((error == ConsensusDecodeError.None) == (batch is not null), "CommittedBlockCodec batch: error and outputs disagree");
        if (batch is not null)
        {
            writer.Clear();
            CommittedBlockCodec.WriteBatch(writer, batch);
            Expect(writer.WrittenSpan.SequenceEqual(input), "CommittedBlockCodec batch: decoded batch re-encodes differently");
        }

        if (SyncRequestPayload.TryRead(input, out var request) == ConsensusDecodeError.None)
        {
            Span<byte> bytes = stackalloc byte[SyncRequestPayload.Size];
            request.Write(bytes);
            Expect(bytes.SequenceEqual(input), "SyncRequestPayload: decoded request re-encodes differently");
        }
    }

    private static void Expect(bool condition, string broken)
    {
        if (!condition)
        {
            throw new InvalidOperationException(broken);
        }
    }

    private static void ParseAllPayloads(in ReadOnlySequence<byte> payload)
    {
        ParsePayload(MessageType.Hello, payload);
        ParsePayload(MessageType.Welcome, payload);
        ParsePayload(MessageType.Authenticate, payload);
        ParsePayload(MessageType.Ready, payload);
        ParsePayload(MessageType.Error, payload);
    }

    private static void DecodeWholeAndSplit(byte[] bytes)
    {
        Decode(new ReadOnlySequence<byte>(bytes));

        // The same bytes split in two segments at a point the input chooses, as a pipe may deliver them.
        if (bytes.Length > 1)
        {
            Decode(Split(bytes, CutPoint(bytes)));
        }
    }

    /// <summary>A cut strictly inside the input, chosen by its first byte.</summary>
    private static int CutPoint(byte[] bytes) => 1 + (bytes[0] % (bytes.Length - 1));

    /// <summary>Rewrites the checksum field of each frame in turn, walking by the declared payload lengths.</summary>
    private static bool RepairChecksums(byte[] bytes)
    {
        var changed = false;
        var offset = 0;
        while (bytes.Length - offset >= FrameHeader.Size)
        {
            var header = bytes.AsSpan(offset, FrameHeader.Size);
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
            if (declared > (uint)(bytes.Length - offset - FrameHeader.Size))
            {
                break;
            }

            var payload = bytes.AsSpan(offset + FrameHeader.Size, (int)declared);
            var state = Crc32C.Append(Crc32C.Begin(), header[..FrameHeader.ChecksummedPrefix]);
            var checksum = Crc32C.End(Crc32C.Append(state, payload));
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[FrameHeader.ChecksummedPrefix..]) != checksum)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(header[FrameHeader.ChecksummedPrefix..], checksum);
                changed = true;
            }

            offset += FrameHeader.Size + (int)declared;
        }

        return changed;
    }

    private static void Decode(ReadOnlySequence<byte> buffer)
    {
        var decoder = new FrameDecoder(64 * 1024);
        while (true)
        {
            var before = buffer.Length;
            var status = decoder.TryDecode(ref buffer, out var frame, out _);
            if (status != DecodeStatus.Frame)
            {
                _ = FrameDecoder.CheckEndOfStream(buffer);
                return;
            }

            if (buffer.Length >= before)
            {
                throw new InvalidOperationException("decoder returned a frame without consuming bytes");
            }

            ParsePayload(frame.Type, frame.Payload);
        }
    }

    private static void ParsePayload(MessageType type, in ReadOnlySequence<byte> payload)
    {
        _ = type switch
        {
            MessageType.Hello => HandshakeCodec.TryRead(payload, out HelloMessage? _),
            MessageType.Welcome => HandshakeCodec.TryRead(payload, out WelcomeMessage? _),
            MessageType.Authenticate => HandshakeCodec.TryRead(payload, out AuthenticateMessage? _),
            MessageType.Ready => HandshakeCodec.TryRead(payload, out ReadyMessage? _),
            MessageType.Error => ErrorPayload.TryRead(payload, out _, out _),
            _ => WireErrorCode.None,
        };
    }

    private static ReadOnlySequence<byte> Split(byte[] bytes, int cut)
    {
        var second = new Segment(bytes.AsMemory(cut), null);
        var first = new Segment(bytes.AsMemory(0, cut), second);
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? next)
        {
            Memory = memory;
            Next = next;
            if (next is not null)
            {
                next.RunningIndex = memory.Length;
            }
        }
    }
}
