using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Codec;

public sealed class CommittedBlockCodecTests
{
    private readonly ConsensusSamples _s = new();

    [Fact]
    public void A_committed_block_round_trips_with_its_certificate()
    {
        var bytes = CodecAssert.Encode(_s.Block3, _s.Qc3);
        Assert.Equal(ConsensusDecodeError.None, CommittedBlockCodec.TryRead(bytes, ConsensusCodecLimits.Default, out var block, out var certificate));
        CodecAssert.Equal(_s.Block3, block!);
        CodecAssert.Equal(_s.Qc3, certificate!);
        Assert.Equal(block!.Id, certificate!.BlockId);
        Assert.Equal(bytes, CodecAssert.Encode(block, certificate));
    }

    [Fact]
    public void A_certificate_alone_round_trips_certifies_its_block_only_and_refuses_trailing_bytes()
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        CommittedBlockCodec.WriteCertificate(writer, _s.Qc3);
        Assert.Equal(ConsensusDecodeError.None, CommittedBlockCodec.TryReadCertificate(writer.WrittenSpan, ConsensusCodecLimits.Default, out var certificate));
        CodecAssert.Equal(_s.Qc3, certificate!);
        Assert.True(CommittedBlockCodec.Certifies(certificate!, _s.Block3));
        Assert.False(CommittedBlockCodec.Certifies(certificate!, _s.Block1));

        byte[] longer = [.. writer.WrittenSpan, 0];
        Assert.Equal(ConsensusDecodeError.TrailingBytes, CommittedBlockCodec.TryReadCertificate(longer, ConsensusCodecLimits.Default, out var refused));
        Assert.Null(refused);
        Assert.NotEqual(ConsensusDecodeError.None, CommittedBlockCodec.TryReadCertificate(writer.WrittenSpan[..^1], ConsensusCodecLimits.Default, out _));
    }

    [Fact]
    public void A_batch_round_trips_in_order()
    {
        CommittedBlock[] batch = [new(_s.Genesis, _s.GenesisQc), new(_s.Block1, _s.Qc1), new(_s.Block3, _s.Qc3)];
        var bytes = CodecAssert.EncodeBatch(batch);
        Assert.Equal(ConsensusDecodeError.None, CommittedBlockCodec.TryReadBatch(bytes, ConsensusCodecLimits.Default, out var decoded));
        Assert.Equal(3, decoded!.Count);
        for (var i = 0; i < batch.Length; i++)
        {
            CodecAssert.Equal(batch[i].Block, decoded[i].Block);
            CodecAssert.Equal(batch[i].Certificate, decoded[i].Certificate);
        }

        Assert.Equal(bytes, CodecAssert.EncodeBatch(decoded));
    }

    [Fact]
    public void An_empty_batch_is_four_zero_bytes()
    {
        var bytes = CodecAssert.EncodeBatch([]);
        Assert.Equal(new byte[4], bytes);
        Assert.Equal(ConsensusDecodeError.None, CommittedBlockCodec.TryReadBatch(bytes, ConsensusCodecLimits.Default, out var decoded));
        Assert.Empty(decoded!);
    }

    [Fact]
    public void Generated_blocks_with_matching_certificates_round_trip() =>
        Gen.Select(ConsensusSamples.BlockGen, ConsensusSamples.Qc).Sample(t =>
        {
            var (block, qc) = t;
            var certificate = new QuorumCertificate(qc.Epoch, block.Round, block.Height, block.Id, [.. qc.SignerBitmap], [.. qc.Signatures]);
            var bytes = CodecAssert.Encode(block, certificate);
            Assert.Equal(ConsensusDecodeError.None, CommittedBlockCodec.TryRead(bytes, ConsensusCodecLimits.Default, out var decodedBlock, out var decodedCertificate));
            CodecAssert.Equal(block, decodedBlock!);
            CodecAssert.Equal(certificate, decodedCertificate!);
        }, iter: 200);

    [Fact]
    public void A_certificate_for_another_block_is_refused_when_writing()
    {
        Assert.Throws<ArgumentException>(() => CodecAssert.Encode(_s.Block3, _s.Qc1));
        Assert.Throws<ArgumentException>(() => CodecAssert.EncodeBatch([new(_s.Block1, _s.Qc1), new(_s.Block3, _s.Qc1)]));
    }

    [Theory]
    [InlineData(0)]   // epoch: not part of the match
    [InlineData(8)]   // round
    [InlineData(16)]  // height
    [InlineData(24)]  // block id
    public void A_certificate_that_does_not_name_the_block_is_a_mismatch_when_reading(int fieldOffset)
    {
        // The genesis certificate has no bitmap and no signatures: its 64 bytes end the encoding.
        var bytes = CodecAssert.Encode(_s.Genesis, _s.GenesisQc);
        bytes[bytes.Length - 64 + fieldOffset] ^= 0x01;
        var expected = fieldOffset == 0 ? ConsensusDecodeError.None : ConsensusDecodeError.CertificateMismatch;
        Assert.Equal(expected, CommittedBlockCodec.TryRead(bytes, ConsensusCodecLimits.Default, out var block, out var certificate));
        Assert.Equal(expected == ConsensusDecodeError.None, block is not null && certificate is not null);
    }

    [Fact]
    public void Every_strict_prefix_is_truncated_and_an_extra_byte_is_trailing()
    {
        var single = CodecAssert.Encode(_s.Block1, _s.Qc1);
        var batch = CodecAssert.EncodeBatch([new(_s.Genesis, _s.GenesisQc), new(_s.Block1, _s.Qc1)]);
        for (var length = 0; length < single.Length; length++)
        {
            Assert.Equal(ConsensusDecodeError.Truncated, CommittedBlockCodec.TryRead(single.AsSpan(0, length), ConsensusCodecLimits.Default, out var block, out var certificate));
            Assert.Null(block);
            Assert.Null(certificate);
        }

        for (var length = 0; length < batch.Length; length++)
        {
            Assert.Equal(ConsensusDecodeError.Truncated, CommittedBlockCodec.TryReadBatch(batch.AsSpan(0, length), ConsensusCodecLimits.Default, out var blocks));
            Assert.Null(blocks);
        }

        Assert.Equal(ConsensusDecodeError.TrailingBytes, CommittedBlockCodec.TryRead([.. single, 0], ConsensusCodecLimits.Default, out _, out _));
        Assert.Equal(ConsensusDecodeError.TrailingBytes, CommittedBlockCodec.TryReadBatch([.. batch, 0], ConsensusCodecLimits.Default, out _));
    }

    [Fact]
    public void A_batch_above_the_limit_is_too_many_blocks()
    {
        var bytes = CodecAssert.EncodeBatch([new(_s.Genesis, _s.GenesisQc), new(_s.Block1, _s.Qc1), new(_s.Block3, _s.Qc3)]);
        Assert.Equal(ConsensusDecodeError.TooManyBlocks, CommittedBlockCodec.TryReadBatch(bytes, ConsensusCodecLimits.Default with { MaxBlocksPerBatch = 2 }, out var blocks));
        Assert.Null(blocks);

        // A count far above the limit in four bytes: refused by the limit, not by the bytes missing.
        Assert.Equal(ConsensusDecodeError.TooManyBlocks, CommittedBlockCodec.TryReadBatch([0xFF, 0xFF, 0xFF, 0xFF], ConsensusCodecLimits.Default, out _));
    }

    [Fact]
    public void Block_limits_apply_inside_committed_blocks()
    {
        var bytes = CodecAssert.Encode(_s.Block3, _s.Qc3);
        Assert.Equal(ConsensusDecodeError.TooManyTransactions, CommittedBlockCodec.TryRead(bytes, ConsensusCodecLimits.Default with { MaxTransactionsPerBlock = 2 }, out _, out _));
        Assert.Equal(ConsensusDecodeError.TooManyEvidence, CommittedBlockCodec.TryRead(bytes, ConsensusCodecLimits.Default with { MaxEvidencePerBlock = 0 }, out _, out _));
        Assert.Equal(ConsensusDecodeError.SignatureTooLarge, CommittedBlockCodec.TryRead(bytes, ConsensusCodecLimits.Default with { MaxSignatureBytes = 16 }, out _, out _));
    }

    [Fact]
    public void Mutated_committed_blocks_and_batches_never_throw()
    {
        var samples = new[]
        {
            CodecAssert.Encode(_s.Block3, _s.Qc3),
            CodecAssert.EncodeBatch([new(_s.Genesis, _s.GenesisQc), new(_s.Block1, _s.Qc1)]),
        };
        Gen.Select(Gen.Int[0, 1], Gen.Int[0, int.MaxValue], Gen.Byte).Sample(t =>
        {
            var bytes = (byte[])samples[t.Item1].Clone();
            bytes[t.Item2 % bytes.Length] = t.Item3;
            HostileBytes.CheckAllDecoders(bytes);
        }, iter: 1000);
    }
}
