using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

/// <summary>
/// The client protocol payloads (0x0200–0x0207): round trips, known answers written by hand from
/// the layouts in docs/protocol.md, and hostile bytes (never a throw, bounded allocation, and any
/// accepted payload re-encodes to the same bytes).
/// </summary>
public sealed class ClientCodecTests
{
    private static readonly Gen<Hash32> AnyHash = Gen.Byte.Array[Hash32.Size].Select(b => new Hash32(b));

    private static readonly Gen<string> AnyText = Gen.OneOf(Gen.String[0, 40], Gen.Char['\u0400', '\u04ff'].Array[0, 60].Select(c => new string(c)));

    private static readonly Gen<StatusMessage> AnyStatus =
        Gen.Select(AnyHash, AnyHash, Gen.Int[-1, int.MaxValue], Gen.ULong, AnyHash, AnyHash, Gen.ULong, Gen.ULong)
            .SelectMany(head => Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Long[0, long.MaxValue], Gen.Bool, Gen.ULong, Gen.Byte)
                .Select(tail => new StatusMessage(head.Item1, head.Item2, head.Item3, head.Item4, head.Item5, head.Item6, head.Item7, head.Item8, tail.Item1, tail.Item2, tail.Item3, tail.Item4, tail.Item5, tail.Item6)));

    private static readonly Gen<TransactionResultEntry> AnyEntry =
        Gen.Select(AnyHash, Gen.Byte, Gen.OneOf(Gen.Const((string?)null), Gen.String[1, 60].Select(s => (string?)s)))
            .Select((id, verdict, reason) => new TransactionResultEntry(id, verdict, reason));

    private static readonly Gen<CommittedBlockMessage> AnyBlock =
        Gen.Select(Gen.ULong, AnyHash, AnyHash, Gen.ULong, Gen.ULong, Gen.Int[-1, 1000], AnyEntry.Array[0, 20])
            .Select((height, block, state, round, time, proposer, entries) => new CommittedBlockMessage(height, block, state, round, time, proposer, entries));

    [Fact]
    public void Submit_result_round_trips() =>
        Gen.Select(Gen.Byte, AnyHash, AnyText).Sample((status, id, detail) =>
        {
            var message = new SubmitResultMessage((SubmitStatus)status, id, detail);
            var bytes = Encode(message.WriteTo);
            Assert.True(SubmitResultMessage.TryRead(bytes, out var read));
            Assert.Equal(message.Status, read.Status);
            Assert.Equal(message.TransactionId, read.TransactionId);
            Assert.Equal(Utf8Prefix(detail, SubmitResultMessage.MaxDetailBytes), read.Detail);
        });

    [Fact]
    public void Status_round_trips() =>
        AnyStatus.Sample(status =>
        {
            var bytes = Encode(status.WriteTo);
            Assert.Equal(StatusMessage.Length, bytes.Length);
            Assert.True(StatusMessage.TryRead(bytes, out var read));
            Assert.Equal(status, read);
        });

    [Fact]
    public void Get_block_and_subscribe_round_trip() =>
        Gen.ULong.Sample(height =>
        {
            Assert.True(GetBlockMessage.TryRead(Encode(new GetBlockMessage(height).WriteTo), out var get));
            Assert.Equal(height, get.Height);
            Assert.True(SubscribeMessage.TryRead(Encode(new SubscribeMessage(height).WriteTo), out var subscribe));
            Assert.Equal(height, subscribe.FromHeight);
        });

    [Fact]
    public void Committed_block_round_trips() =>
        AnyBlock.Sample(block =>
        {
            var bytes = Encode(block.WriteTo);
            Assert.True(CommittedBlockMessage.TryRead(bytes, out var read));
            AssertSameBlock(block, read!);
        });

    [Fact]
    public void Sequence_overloads_read_split_payloads()
    {
        var bytes = Encode(new GetBlockMessage(0x0102030405060708).WriteTo);
        var split = SegmentedSequence.SplitAt(bytes, 3);
        Assert.True(GetBlockMessage.TryRead(split, out var get, out _));
        Assert.Equal(0x0102030405060708UL, get.Height);
        Assert.True(SubscribeMessage.TryRead(split, out var subscribe, out _));
        Assert.Equal(0x0102030405060708UL, subscribe.FromHeight);
        Assert.False(SubscribeMessage.TryRead(new ReadOnlySequence<byte>(new byte[9]), out _, out var error));
        Assert.Equal(WireErrorCode.TrailingBytes, error);
        Assert.False(GetBlockMessage.TryRead(new ReadOnlySequence<byte>(new byte[7]), out _, out error));
        Assert.Equal(WireErrorCode.PayloadTooShort, error);
    }

    // Known answers: each expected string is assembled by hand, field by field, from the layout.

    [Fact]
    public void Submit_result_known_answer()
    {
        var message = new SubmitResultMessage(SubmitStatus.Busy, Filled(0x11), "full");
        var expected = "02" + Repeat("11", 32) + "0400" + "66756c6c";
        Assert.Equal(expected, Hex(message.WriteTo));
    }

    [Fact]
    public void Status_known_answer()
    {
        var status = new StatusMessage(Filled(0xa1), Filled(0xc1), 2, 0x0102, Filled(0xb1), Filled(0x51), 7, 1, 3, 5, 0x1000, true, 9, 1);
        var expected =
            Repeat("a1", 32) + Repeat("c1", 32) +
            "02000000" +
            "0201000000000000" +
            Repeat("b1", 32) + Repeat("51", 32) +
            "0700000000000000" + "0100000000000000" +
            "03000000" + "05000000" + "0010000000000000" +
            "01" + "0900000000000000" + "01";
        Assert.Equal(expected, Hex(status.WriteTo));
        Assert.Equal(StatusMessage.Length * 2, expected.Length);
    }

    [Fact]
    public void Get_block_and_subscribe_known_answers()
    {
        Assert.Equal("2a00000000000000", Hex(new GetBlockMessage(42).WriteTo));
        Assert.Equal("0807060504030201", Hex(new SubscribeMessage(0x0102030405060708).WriteTo));
    }

    [Fact]
    public void Committed_block_known_answer()
    {
        var block = new CommittedBlockMessage(5, Filled(0xb5), Filled(0x55), 6, 1_700_000_000_000, 1,
        [
            new TransactionResultEntry(Filled(0x01), TransactionVerdicts.Applied, null),
            new TransactionResultEntry(Filled(0x02), TransactionVerdicts.Rejected, "nonce"),
        ]);
        var expected =
            "0500000000000000" + Repeat("b5", 32) + Repeat("55", 32) +
            "0600000000000000" + "0068e5cf8b010000" + "01000000" + "02000000" +
            Repeat("01", 32) + "00" + "0000" +
            Repeat("02", 32) + "05" + "0500" + "6e6f6e6365";
        Assert.Equal(expected, Hex(block.WriteTo));
    }

    [Fact]
    public void Transaction_id_is_sha3_256_of_the_envelope()
    {
        // FIPS 202 example: SHA3-256("abc").
        Assert.Equal("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", TransactionIds.Of("abc"u8).ToString());
        Assert.Equal("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", TransactionIds.Of([]).ToString());
    }

    // Refusals: each malformation has its own code.

    [Fact]
    public void Truncated_and_padded_payloads_are_refused_with_their_codes()
    {
        var payloads = new (string Name, byte[] Bytes, Func<byte[], WireErrorCode> Read)[]
        {
            ("submit", Encode(new SubmitResultMessage(SubmitStatus.Accepted, Filled(1), "detail").WriteTo), b => ErrorOf(SubmitResultMessage.TryRead(b, out _, out var e), e)),
            ("status", Encode(new StatusMessage(Filled(1), Filled(2), 0, 1, Filled(3), Filled(4), 1, 0, 1, 1, 1, false, 1, 0).WriteTo), b => ErrorOf(StatusMessage.TryRead(b, out _, out var e), e)),
            ("get", Encode(new GetBlockMessage(1).WriteTo), b => ErrorOf(GetBlockMessage.TryRead(b, out _, out var e), e)),
            ("subscribe", Encode(new SubscribeMessage(1).WriteTo), b => ErrorOf(SubscribeMessage.TryRead(b, out _, out var e), e)),
            ("block", Encode(new CommittedBlockMessage(1, Filled(1), Filled(2), 1, 1, 0, [new TransactionResultEntry(Filled(3), 0, "why")]).WriteTo), b => ErrorOf(CommittedBlockMessage.TryRead(b, out _, out var e), e)),
        };

        foreach (var (name, bytes, read) in payloads)
        {
            Assert.True(read(bytes) == WireErrorCode.None, name);
            for (var length = 0; length < bytes.Length; length++)
            {
                Assert.True(read(bytes[..length]) == WireErrorCode.PayloadTooShort, $"{name} cut at {length}");
            }

            Assert.True(read([.. bytes, 0]) == WireErrorCode.TrailingBytes, $"{name} with a trailing byte");
        }
    }

    [Fact]
    public void Field_values_outside_their_ranges_are_refused()
    {
        var status = Encode(new StatusMessage(Filled(1), Filled(2), 0, 1, Filled(3), Filled(4), 1, 0, 1, 1, 1, false, 1, 0).WriteTo);
        Assert.Equal(WireErrorCode.MalformedPayload, StatusError(With(status, 172, 2)));
        Assert.Equal(WireErrorCode.MalformedPayload, StatusError(WithInt32(status, 64, -2)));
        Assert.Equal(WireErrorCode.MalformedPayload, StatusError(WithInt32(status, 156, -1)));
        Assert.Equal(WireErrorCode.MalformedPayload, StatusError(WithInt32(status, 160, int.MinValue)));
        Assert.Equal(WireErrorCode.MalformedPayload, StatusError(With(status, 171, 0x80)));

        var submit = Encode(new SubmitResultMessage(SubmitStatus.Accepted, Filled(1), "ab").WriteTo);
        Assert.Equal(WireErrorCode.MalformedPayload, SubmitError(With(submit, 35, 0xff)));
        var longDetail = new byte[SubmitResultMessage.FixedLength + 513];
        BinaryPrimitives.WriteUInt16LittleEndian(longDetail.AsSpan(33), 513);
        Assert.Equal(WireErrorCode.FieldTooLarge, SubmitError(longDetail));

        var block = Encode(new CommittedBlockMessage(1, Filled(1), Filled(2), 1, 1, 0, [new TransactionResultEntry(Filled(3), 0, "why")]).WriteTo);
        Assert.Equal(WireErrorCode.MalformedPayload, BlockError(WithInt32(block, 88, -2)));
        Assert.Equal(WireErrorCode.FieldTooLarge, BlockError(WithInt32(block, 92, CommittedBlockMessage.MaxTransactions + 1)));
        Assert.Equal(WireErrorCode.PayloadTooShort, BlockError(WithInt32(block, 92, 2)));
        Assert.Equal(WireErrorCode.FieldTooLarge, BlockError(WithUInt16(block, 96 + 33, CommittedBlockMessage.MaxReasonBytes + 1)));
        Assert.Equal(WireErrorCode.MalformedPayload, BlockError(With(block, 96 + 35, 0xc0)));
    }

    [Fact]
    public void A_huge_declared_count_is_refused_before_anything_is_allocated_for_it()
    {
        var header = Encode(new CommittedBlockMessage(1, Filled(1), Filled(2), 1, 1, 0, []).WriteTo);
        var lying = WithInt32(header, 92, CommittedBlockMessage.MaxTransactions);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(WireErrorCode.PayloadTooShort, BlockError(lying));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024, "no array was allocated for the declared count");
    }

    [Fact]
    public void Long_text_is_truncated_on_a_character_boundary_when_written()
    {
        var detail = new string('é', 300); // 600 bytes of UTF-8
        Assert.True(SubmitResultMessage.TryRead(Encode(new SubmitResultMessage(SubmitStatus.Malformed, Filled(1), detail).WriteTo), out var read));
        Assert.Equal(new string('é', 256), read.Detail);

        var reason = "x" + new string('€', 100); // 301 bytes
        var block = new CommittedBlockMessage(1, Filled(1), Filled(2), 1, 1, 0, [new TransactionResultEntry(Filled(3), TransactionVerdicts.Rejected, reason)]);
        Assert.True(CommittedBlockMessage.TryRead(Encode(block.WriteTo), out var readBlock));
        Assert.Equal("x" + new string('€', 85), readBlock!.Transactions[0].Reason);
    }

    [Fact]
    public void Writers_refuse_values_the_layout_cannot_carry()
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<InvalidOperationException>(() => new StatusMessage(Filled(1), Filled(2), -2, 1, Filled(3), Filled(4), 1, 0, 1, 1, 1, false, 1, 0).WriteTo(writer));
        Assert.Throws<InvalidOperationException>(() => new CommittedBlockMessage(1, Filled(1), Filled(2), 1, 1, -5, []).WriteTo(writer));
    }

    [Fact]
    public void Any_bytes_are_read_without_throwing_and_whatever_is_accepted_re_encodes_to_the_same_bytes() =>
        Gen.Byte.Array[0, 400].Sample(bytes =>
        {
            if (SubmitResultMessage.TryRead(bytes, out var submit))
            {
                Assert.Equal(bytes, Encode(submit.WriteTo));
            }

            if (StatusMessage.TryRead(bytes, out var status))
            {
                Assert.Equal(bytes, Encode(status!.WriteTo));
            }

            if (GetBlockMessage.TryRead(bytes, out var get))
            {
                Assert.Equal(bytes, Encode(get.WriteTo));
            }

            if (SubscribeMessage.TryRead(bytes, out var subscribe))
            {
                Assert.Equal(bytes, Encode(subscribe.WriteTo));
            }

            if (CommittedBlockMessage.TryRead(bytes, out var block))
            {
                Assert.Equal(bytes, Encode(block!.WriteTo));
            }
        }, iter: 5000);

    [Fact]
    public void Mutated_valid_payloads_are_read_without_throwing() =>
        Gen.Select(AnyBlock, AnyStatus, Gen.Int[0, 2000], Gen.Byte, Gen.Int[0, 64]).Sample((block, status, position, value, cut) =>
        {
            foreach (var valid in new[] { Encode(block.WriteTo), Encode(status.WriteTo) })
            {
                var bytes = valid[..Math.Max(0, valid.Length - cut)];
                if (bytes.Length > 0)
                {
                    bytes[position % bytes.Length] = value;
                }

                if (CommittedBlockMessage.TryRead(bytes, out var readBlock))
                {
                    Assert.Equal(bytes, Encode(readBlock!.WriteTo));
                }

                if (StatusMessage.TryRead(bytes, out var readStatus))
                {
                    Assert.Equal(bytes, Encode(readStatus!.WriteTo));
                }

                SubmitResultMessage.TryRead(bytes, out _);
            }
        }, iter: 3000);

    [Fact]
    public void Verdict_names_cover_every_code()
    {
        Assert.Equal("applied", TransactionVerdicts.Name(TransactionVerdicts.Applied));
        Assert.Equal("not_interpreted", TransactionVerdicts.Name(TransactionVerdicts.NotInterpreted));
        Assert.Equal("malformed", TransactionVerdicts.Name(TransactionVerdicts.Malformed));
        Assert.Equal("wrong_chain", TransactionVerdicts.Name(TransactionVerdicts.WrongChain));
        Assert.Equal("bad_signature", TransactionVerdicts.Name(TransactionVerdicts.BadSignature));
        Assert.Equal("rejected", TransactionVerdicts.Name(TransactionVerdicts.Rejected));
        Assert.Equal("unknown_9", TransactionVerdicts.Name(9));
        Assert.True(TransactionVerdicts.IsSuccess(TransactionVerdicts.Applied));
        Assert.True(TransactionVerdicts.IsSuccess(TransactionVerdicts.NotInterpreted));
        Assert.False(TransactionVerdicts.IsSuccess(TransactionVerdicts.Rejected));
        Assert.False(TransactionVerdicts.IsSuccess(200));
    }

    [Fact]
    public void Stream_errors_do_not_close_the_connection()
    {
        Assert.False(WireErrorCodes.ClosesConnection(WireErrorCode.NotFound));
        Assert.False(WireErrorCodes.ClosesConnection(WireErrorCode.Cancelled));
        Assert.False(WireErrorCodes.ClosesConnection(WireErrorCode.SlowConsumer));
        Assert.NotEqual("unknown error code", WireErrorCodes.Describe(WireErrorCode.SlowConsumer));
        Assert.NotEqual("unknown error code", WireErrorCodes.Describe(WireErrorCode.NotFound));
        Assert.NotEqual("unknown error code", WireErrorCodes.Describe(WireErrorCode.Cancelled));
    }

    internal static void AssertSameBlock(CommittedBlockMessage expected, CommittedBlockMessage actual)
    {
        Assert.Equal(expected.Height, actual.Height);
        Assert.Equal(expected.BlockHash, actual.BlockHash);
        Assert.Equal(expected.StateHash, actual.StateHash);
        Assert.Equal(expected.Round, actual.Round);
        Assert.Equal(expected.TimestampMs, actual.TimestampMs);
        Assert.Equal(expected.ProposerIndex, actual.ProposerIndex);
        Assert.Equal(expected.Transactions, actual.Transactions);
    }

    private static WireErrorCode ErrorOf(bool ok, WireErrorCode error)
    {
        Assert.Equal(ok, error == WireErrorCode.None);
        return error;
    }

    private static WireErrorCode StatusError(byte[] bytes) => ErrorOf(StatusMessage.TryRead(bytes, out _, out var e), e);

    private static WireErrorCode SubmitError(byte[] bytes) => ErrorOf(SubmitResultMessage.TryRead(bytes, out _, out var e), e);

    private static WireErrorCode BlockError(byte[] bytes) => ErrorOf(CommittedBlockMessage.TryRead(bytes, out _, out var e), e);

    private static byte[] With(byte[] bytes, int offset, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[offset] = value;
        return copy;
    }

    private static byte[] WithInt32(byte[] bytes, int offset, int value)
    {
        var copy = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private static byte[] WithUInt16(byte[] bytes, int offset, int value)
    {
        var copy = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), (ushort)value);
        return copy;
    }

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static string Hex(Action<IBufferWriter<byte>> write) => Convert.ToHexStringLower(Encode(write));

    private static string Repeat(string hexByte, int count) => string.Concat(Enumerable.Repeat(hexByte, count));

    private static Hash32 Filled(byte value)
    {
        var bytes = new byte[Hash32.Size];
        bytes.AsSpan().Fill(value);
        return new Hash32(bytes);
    }

    /// <summary>What the writer keeps of <paramref name="text"/>: the longest prefix of whole characters that fits in <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    private static string Utf8Prefix(string text, int maxBytes)
    {
        var bytes = new byte[maxBytes];
        Encoding.UTF8.GetEncoder().Convert(text, bytes, flush: true, out _, out var written, out _);
        return Encoding.UTF8.GetString(bytes, 0, written);
    }
}
