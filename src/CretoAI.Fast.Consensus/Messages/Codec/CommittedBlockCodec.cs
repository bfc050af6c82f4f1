using System.Buffers;

namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>
/// A committed block followed by its commit certificate (the QC naming the block's id, round and
/// height), as appended to the WAL and sent in sync; and a u32-count-prefixed batch of them, the
/// payload of a <c>SyncResponse</c> (0x0111) frame. Layouts in docs/protocol.md §10. Decoding never
/// throws and checks that each certificate certifies its block.
/// </summary>
public static class CommittedBlockCodec
{
    /// <exception cref="ArgumentException">The certificate does not certify the block.</exception>
    public static void Write(IBufferWriter<byte> writer, Block block, QuorumCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CheckPair(block, certificate);
        var w = new CodecWriter(writer);
        WriteOne(ref w, block, certificate);
        w.Flush();
    }

    public static ConsensusDecodeError TryRead(ReadOnlySpan<byte> payload, ConsensusCodecLimits limits, out Block? block, out QuorumCertificate? certificate)
    {
        ArgumentNullException.ThrowIfNull(limits);
        block = null;
        certificate = null;
        var r = new CodecReader(payload, limits);
        var one = ReadOne(ref r);
        if (one is null)
        {
            return r.Error;
        }

        if (r.Remaining != 0)
        {
            return ConsensusDecodeError.TrailingBytes;
        }

        block = one.Block;
        certificate = one.Certificate;
        return ConsensusDecodeError.None;
    }

    /// <summary>
    /// A commit certificate alone: how a node records in its WAL that a block it already holds there
    /// (as a voted block) is committed, without a second copy of the block. The certificate names
    /// the block's id, round and height.
    /// </summary>
    public static void WriteCertificate(IBufferWriter<byte> writer, QuorumCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(certificate);
        var w = new CodecWriter(writer);
        ConsensusParts.WriteQc(ref w, certificate);
        w.Flush();
    }

    public static ConsensusDecodeError TryReadCertificate(ReadOnlySpan<byte> payload, ConsensusCodecLimits limits, out QuorumCertificate? certificate)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var r = new CodecReader(payload, limits);
        certificate = ConsensusParts.ReadQc(ref r);
        if (certificate is null)
        {
            return r.Error;
        }

        if (r.Remaining != 0)
        {
            certificate = null;
            return ConsensusDecodeError.TrailingBytes;
        }

        return ConsensusDecodeError.None;
    }

    /// <summary>True when <paramref name="certificate"/> names <paramref name="block"/>'s id, round and height.</summary>
    public static bool Certifies(QuorumCertificate certificate, Block block)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(block);
        return certificate.BlockId == block.Id && certificate.Round == block.Round && certificate.Height == block.Height;
    }

    /// <exception cref="ArgumentException">A certificate does not certify its block.</exception>
    public static void WriteBatch(IBufferWriter<byte> writer, IReadOnlyList<CommittedBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(blocks);
        foreach (var entry in blocks)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(blocks));
            CheckPair(entry.Block, entry.Certificate);
        }

        var w = new CodecWriter(writer);
        w.WriteCount(blocks.Count);
        foreach (var entry in blocks)
        {
            WriteOne(ref w, entry.Block, entry.Certificate);
        }

        w.Flush();
    }

    public static ConsensusDecodeError TryReadBatch(ReadOnlySpan<byte> payload, ConsensusCodecLimits limits, out IReadOnlyList<CommittedBlock>? blocks)
    {
        ArgumentNullException.ThrowIfNull(limits);
        blocks = null;
        var r = new CodecReader(payload, limits);
        if (!r.TryReadCount(limits.MaxBlocksPerBatch, ConsensusParts.BlockMinBytes + ConsensusParts.QcMinBytes, ConsensusDecodeError.TooManyBlocks, out var count))
        {
            return r.Error;
        }

        var list = count == 0 ? [] : new CommittedBlock[count];
        for (var i = 0; i < count; i++)
        {
            var one = ReadOne(ref r);
            if (one is null)
            {
                return r.Error;
            }

            list[i] = one;
        }

        if (r.Remaining != 0)
        {
            return ConsensusDecodeError.TrailingBytes;
        }

        blocks = list;
        return ConsensusDecodeError.None;
    }

    private static void WriteOne(ref CodecWriter w, Block block, QuorumCertificate certificate)
    {
        ConsensusParts.WriteBlock(ref w, block);
        ConsensusParts.WriteQc(ref w, certificate);
    }

    private static CommittedBlock? ReadOne(ref CodecReader r)
    {
        var block = ConsensusParts.ReadBlock(ref r);
        var certificate = block is null ? null : ConsensusParts.ReadQc(ref r);
        if (certificate is null)
        {
            return null;
        }

        if (!Certifies(certificate, block!))
        {
            r.Fail(ConsensusDecodeError.CertificateMismatch);
            return null;
        }

        return new CommittedBlock(block!, certificate);
    }

    private static void CheckPair(Block block, QuorumCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!Certifies(certificate, block))
        {
            throw new ArgumentException($"{certificate} does not certify {block}.", nameof(certificate));
        }
    }
}
