using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Codec;

/// <summary>Bytes from the network are hostile: every input gets an error value, never an exception, never a large allocation.</summary>
public sealed class ConsensusCodecHostileInputTests
{
    private readonly ConsensusSamples _s = new();

    [Fact]
    public void Every_strict_prefix_of_every_sample_is_truncated()
    {
        foreach (var message in _s.All())
        {
            var bytes = CodecAssert.Encode(message);
            for (var length = 0; length < bytes.Length; length++)
            {
                var error = ConsensusCodec.TryRead(bytes.AsSpan(0, length), ConsensusCodecLimits.Default, out var decoded);
                Assert.True(error == ConsensusDecodeError.Truncated, $"{message.GetType().Name}: prefix of {length}/{bytes.Length} bytes gave {error}");
                Assert.Null(decoded);
            }
        }
    }

    [Fact]
    public void Bytes_after_a_complete_message_are_trailing_bytes()
    {
        foreach (var message in _s.All())
        {
            var bytes = CodecAssert.Encode(message);
            Assert.Equal(ConsensusDecodeError.TrailingBytes, ConsensusCodec.TryRead([.. bytes, 0], ConsensusCodecLimits.Default, out var decoded));
            Assert.Null(decoded);
            Assert.Equal(ConsensusDecodeError.TrailingBytes, ConsensusCodec.TryRead([.. bytes, .. bytes], ConsensusCodecLimits.Default, out _));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 7 })]
    [InlineData(new byte[] { 255, 1, 2, 3 })]
    public void An_unknown_tag_is_refused(byte[] bytes) =>
        Assert.Equal(ConsensusDecodeError.UnknownTag, ConsensusCodec.TryRead(bytes, ConsensusCodecLimits.Default, out _));

    [Fact]
    public void The_reserved_tag_zero_is_refused_even_in_front_of_a_valid_body()
    {
        var bytes = CodecAssert.Encode(_s.Vote1);
        bytes[0] = (byte)ConsensusMessageTag.None;
        Assert.Equal(ConsensusDecodeError.UnknownTag, ConsensusCodec.TryRead(bytes, ConsensusCodecLimits.Default, out _));
    }

    [Fact]
    public void An_empty_payload_is_truncated() =>
        Assert.Equal(ConsensusDecodeError.Truncated, ConsensusCodec.TryRead([], ConsensusCodecLimits.Default, out _));

    [Fact]
    public void Random_bytes_never_throw_from_any_decoder() =>
        Gen.Frequency(
                (1, Gen.Byte.Array[0, 400]),
                (4, Gen.Select(Gen.Byte[0, 7], Gen.Byte.Array[0, 400]).Select(t => (byte[])[t.Item1, .. t.Item2])))
            .Sample(bytes => HostileBytes.CheckAllDecoders(bytes), iter: 5000);

    [Fact]
    public void Mutated_valid_encodings_never_throw_and_decode_only_to_what_re_encodes_to_them()
    {
        var samples = _s.All().Select(CodecAssert.Encode).ToArray();
        var fromSamples = Gen.Int[0, samples.Length - 1].Select(i => samples[i]);
        var fromGenerated = ConsensusSamples.Message.Select(CodecAssert.Encode);
        Gen.Select(Gen.Frequency((1, fromSamples), (1, fromGenerated)), Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[-2, 2])
            .Sample(t =>
            {
                var (valid, position, value, resize) = t;
                var bytes = (byte[])valid.Clone();
                bytes[position % bytes.Length] = value;
                bytes = resize switch
                {
                    < 0 => bytes[..Math.Max(0, bytes.Length + resize)],
                    > 0 => [.. bytes, .. new byte[resize]],
                    _ => bytes,
                };
                HostileBytes.CheckAllDecoders(bytes);
            }, iter: 2000);
    }

    [Fact]
    public void A_single_byte_change_inside_a_count_or_length_never_throws()
    {
        // Exhaustive over positions for one small message: each byte set to 0x00, 0x7F, 0x80 and 0xFF,
        // which turns every count and length field into zero, huge and negative-looking values.
        var bytes = CodecAssert.Encode(_s.Timeout3);
        foreach (var value in new byte[] { 0x00, 0x7F, 0x80, 0xFF })
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                var mutated = (byte[])bytes.Clone();
                mutated[i] = value;
                HostileBytes.CheckAllDecoders(mutated);
            }
        }
    }

    [Fact]
    public void A_few_bytes_declaring_huge_counts_allocate_almost_nothing()
    {
        // Limits far above the defaults, so only the check against the bytes actually present stands
        // between a 13-byte input and a million-element array.
        var generous = new ConsensusCodecLimits { MaxTransactionsPerBlock = 1 << 20, MaxValidators = 1 << 16, MaxBlocksPerBatch = 1 << 20, MaxEvidencePerBlock = 1 << 16, MaxSignatureBytes = 1 << 20 };
        byte[][] inputs =
        [
            [(byte)ConsensusMessageTag.BlockResponse, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x10, 0x00], // 1,048,576 blocks
            [.. Vote(voter: 0)[..61], 0x00, 0x00, 0x10, 0x00, 1, 2, 3], // a 1 MiB signature
            [(byte)ConsensusMessageTag.Proposal, .. BlockHeaderThroughQc(), 0x00, 0x00, 0x10, 0x00], // 1,048,576 transactions
            [(byte)ConsensusMessageTag.Proposal, .. BlockHeaderBeforeQc(), .. new byte[56], 0x00, 0x04, 0x00, 0x00], // a 1,024-word bitmap
        ];
        foreach (var input in inputs)
        {
            HostileBytes.CheckAllDecoders(input, generous);
            var least = long.MaxValue;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var error = ConsensusCodec.TryRead(input, generous, out _);
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                Assert.Equal(ConsensusDecodeError.Truncated, error);
            }

            Assert.True(least < 4096, $"decoding {input.Length} bytes allocated {least:N0} bytes");
        }
    }

    // ------------------------------------------------------------------ limits

    [Fact]
    public void More_transactions_than_the_limit_is_too_many_transactions()
    {
        var bytes = CodecAssert.Encode(_s.Proposal3); // three transactions
        Assert.Equal(ConsensusDecodeError.TooManyTransactions, Read(bytes, ConsensusCodecLimits.Default with { MaxTransactionsPerBlock = 2 }));
        Assert.Equal(ConsensusDecodeError.None, Read(bytes, ConsensusCodecLimits.Default with { MaxTransactionsPerBlock = 3 }));
    }

    [Fact]
    public void A_transaction_above_the_limit_is_too_large()
    {
        var bytes = CodecAssert.Encode(_s.Proposal1);
        Assert.Equal(ConsensusDecodeError.TransactionTooLarge, Read(bytes, ConsensusCodecLimits.Default with { MaxTransactionBytes = ConsensusSamples.EnvelopeBytes - 1 }));
        Assert.Equal(ConsensusDecodeError.None, Read(bytes, ConsensusCodecLimits.Default with { MaxTransactionBytes = ConsensusSamples.EnvelopeBytes }));
    }

    [Fact]
    public void A_block_above_the_limit_is_too_large_whether_its_transactions_or_its_evidence_cross_it()
    {
        var committed = CodecAssert.Encode(_s.Block3, _s.Qc3);
        var blockBytes = committed.Length - QcBytes(_s.Qc3);
        var bytes = CodecAssert.Encode(_s.Proposal3);
        Assert.Equal(ConsensusDecodeError.None, Read(bytes, ConsensusCodecLimits.Default with { MaxBlockBytes = blockBytes }));

        // One byte less: the transactions still fit, the evidence after them does not.
        Assert.Equal(ConsensusDecodeError.BlockTooLarge, Read(bytes, ConsensusCodecLimits.Default with { MaxBlockBytes = blockBytes - 1 }));

        // Well below: refused at a transaction, before it is copied.
        Assert.Equal(ConsensusDecodeError.BlockTooLarge, Read(bytes, ConsensusCodecLimits.Default with { MaxBlockBytes = 10_000 }));
    }

    [Fact]
    public void More_signatures_than_validators_is_too_many_signatures()
    {
        var bytes = CodecAssert.Encode(_s.Timeout2); // voter 1; its high QC carries 3 signatures
        Assert.Equal(3, _s.Timeout2.HighQc.Signatures.Count);
        Assert.Equal(ConsensusDecodeError.TooManySignatures, Read(bytes, ConsensusCodecLimits.Default with { MaxValidators = 2 }));
        Assert.Equal(ConsensusDecodeError.None, Read(bytes, ConsensusCodecLimits.Default with { MaxValidators = 3 }));
    }

    [Fact]
    public void A_signature_above_the_limit_is_too_large()
    {
        var bytes = CodecAssert.Encode(_s.Vote1);
        Assert.Equal(ConsensusDecodeError.SignatureTooLarge, Read(bytes, ConsensusCodecLimits.Default with { MaxSignatureBytes = _s.Vote1.Signature.Length - 1 }));
        Assert.Equal(ConsensusDecodeError.None, Read(bytes, ConsensusCodecLimits.Default with { MaxSignatureBytes = _s.Vote1.Signature.Length }));
    }

    [Fact]
    public void A_bitmap_longer_than_the_largest_validator_set_needs_is_too_large()
    {
        var limit = ConsensusCodecLimits.Default.MaxBitmapWords;
        Assert.Equal(16, limit);
        var fits = new QuorumCertificate(0, 1, 1, _s.Block1.Id, new ulong[limit], []);
        var over = new QuorumCertificate(0, 1, 1, _s.Block1.Id, new ulong[limit + 1], []);
        Assert.Equal(ConsensusDecodeError.None, Read(CodecAssert.Encode(new TimeoutMessage(0, 2, fits, 0, [1], null)), ConsensusCodecLimits.Default));
        Assert.Equal(ConsensusDecodeError.BitmapTooLarge, Read(CodecAssert.Encode(new TimeoutMessage(0, 2, over, 0, [1], null)), ConsensusCodecLimits.Default));
    }

    [Fact]
    public void More_evidence_than_the_limit_is_too_many_evidence()
    {
        var bytes = CodecAssert.Encode(_s.Proposal3);
        Assert.Equal(ConsensusDecodeError.TooManyEvidence, Read(bytes, ConsensusCodecLimits.Default with { MaxEvidencePerBlock = 0 }));
        Assert.Equal(ConsensusDecodeError.None, Read(bytes, ConsensusCodecLimits.Default with { MaxEvidencePerBlock = 1 }));
    }

    [Fact]
    public void More_blocks_in_a_response_than_the_limit_is_too_many_blocks()
    {
        var bytes = CodecAssert.Encode(_s.Response); // three blocks
        Assert.Equal(ConsensusDecodeError.TooManyBlocks, Read(bytes, ConsensusCodecLimits.Default with { MaxBlocksPerBatch = 2 }));
        Assert.Equal(ConsensusDecodeError.None, Read(bytes, ConsensusCodecLimits.Default with { MaxBlocksPerBatch = 3 }));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(1024)]
    public void A_voter_index_outside_the_largest_validator_set_is_a_bad_value(int voter) =>
        Assert.Equal(ConsensusDecodeError.BadValue, Read(Vote(voter), ConsensusCodecLimits.Default));

    [Fact]
    public void A_vote_for_the_last_possible_validator_is_accepted() =>
        Assert.Equal(ConsensusDecodeError.None, Read(Vote(1023), ConsensusCodecLimits.Default));

    [Fact]
    public void A_proposer_index_below_minus_one_is_a_bad_value()
    {
        var bytes = CodecAssert.Encode(_s.Proposal1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1 + 32 + 32), -2); // tag, chain id, epoch/round/height/timestamp
        Assert.Equal(ConsensusDecodeError.BadValue, Read(bytes, ConsensusCodecLimits.Default));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1 + 32 + 32), -1);
        Assert.Equal(ConsensusDecodeError.None, Read(bytes, ConsensusCodecLimits.Default));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(255)]
    public void A_presence_flag_other_than_zero_or_one_is_a_bad_value(byte flag)
    {
        var bytes = CodecAssert.Encode(_s.Proposal1); // ends with the absent-TC flag
        Assert.Equal(0, bytes[^1]);
        bytes[^1] = flag;
        Assert.Equal(ConsensusDecodeError.BadValue, Read(bytes, ConsensusCodecLimits.Default));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Evidence_of_an_unknown_statement_kind_is_a_bad_value(byte kind)
    {
        var bytes = CodecAssert.Encode(_s.Evidence);
        bytes[1] = kind;
        Assert.Equal(ConsensusDecodeError.BadValue, Read(bytes, ConsensusCodecLimits.Default));
    }

    [Fact]
    public void A_block_request_for_more_ancestors_than_allowed_is_a_bad_value()
    {
        // The constructor would clamp 33 to 32; the decoder refuses it so bytes and message stay one-to-one.
        var bytes = CodecAssert.Encode(_s.Request);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), BlockRequest.MaxAncestorsLimit + 1);
        Assert.Equal(ConsensusDecodeError.BadValue, Read(bytes, ConsensusCodecLimits.Default));
    }

    [Fact]
    public void Limits_validate_their_ranges()
    {
        Assert.Same(ConsensusCodecLimits.Default, ConsensusCodecLimits.Default.Validate());
        Assert.Throws<Core.InvalidSettingException>(() => (ConsensusCodecLimits.Default with { MaxValidators = 0 }).Validate());
        Assert.Throws<Core.InvalidSettingException>(() => (ConsensusCodecLimits.Default with { MaxBlockBytes = -1 }).Validate());
    }

    private static ConsensusDecodeError Read(byte[] bytes, ConsensusCodecLimits limits) => ConsensusCodec.TryRead(bytes, limits, out _);

    private static byte[] Vote(int voter)
    {
        var bytes = CodecAssert.Encode(new Vote(1, 2, 3, default, 0, new byte[32]));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1 + 8 + 8 + 8 + 32), voter);
        return bytes;
    }

    // chain id, epoch, round, height, timestamp, proposer 0.
    private static byte[] BlockHeaderBeforeQc() => new byte[32 + 32 + 4];

    // ... then a QC with no bitmap and no signatures.
    private static byte[] BlockHeaderThroughQc() => [.. BlockHeaderBeforeQc(), .. new byte[56 + 4 + 4]];

    private static int QcBytes(QuorumCertificate qc) => 64 + (8 * qc.SignerBitmap.Count) + qc.Signatures.Sum(s => 4 + s.Length);
}
