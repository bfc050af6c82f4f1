using System.Buffers;

namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>
/// The binary form of every <see cref="ConsensusMessage"/>, as carried by one
/// <c>ConsensusMessage</c> (0x0100) frame: one <see cref="ConsensusMessageTag"/> byte, then the
/// body. Fixed-width little-endian integers, u32 counts and lengths in front of every variable part;
/// the byte layout is in docs/protocol.md §10. The encoding is canonical: bytes that decode re-encode
/// to themselves.
/// </summary>
public static class ConsensusCodec
{
    /// <summary>Appends the encoding of <paramref name="message"/> to <paramref name="writer"/>.</summary>
    /// <exception cref="ArgumentException">A message type this codec does not know, or a timeout certificate whose rounds and signatures differ in number.</exception>
    public static void Write(IBufferWriter<byte> writer, ConsensusMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        var w = new CodecWriter(writer);
        switch (message)
        {
            case Proposal proposal:
                w.WriteByte((byte)ConsensusMessageTag.Proposal);
                ConsensusParts.WriteBlock(ref w, proposal.Block);
                w.WriteBytes(proposal.Signature);
                ConsensusParts.WriteOptionalTc(ref w, proposal.LastRoundTc);
                break;
            case Vote vote:
                w.WriteByte((byte)ConsensusMessageTag.Vote);
                w.WriteUInt64(vote.Epoch);
                w.WriteUInt64(vote.Round);
                w.WriteUInt64(vote.Height);
                w.WriteHash(vote.BlockId);
                w.WriteInt32(vote.VoterIndex);
                w.WriteBytes(vote.Signature);
                break;
            case TimeoutMessage timeout:
                w.WriteByte((byte)ConsensusMessageTag.Timeout);
                w.WriteUInt64(timeout.Epoch);
                w.WriteUInt64(timeout.Round);
                w.WriteInt32(timeout.VoterIndex);
                w.WriteBytes(timeout.Signature);
                ConsensusParts.WriteQc(ref w, timeout.HighQc);
                ConsensusParts.WriteOptionalTc(ref w, timeout.LastRoundTc);
                break;
            case EvidenceMessage evidence:
                w.WriteByte((byte)ConsensusMessageTag.Evidence);
                ConsensusParts.WriteEvidence(ref w, evidence.Evidence);
                break;
            case BlockRequest request:
                w.WriteByte((byte)ConsensusMessageTag.BlockRequest);
                w.WriteUInt64(request.Epoch);
                w.WriteHash(request.BlockId);
                w.WriteUInt32((uint)request.MaxAncestors);
                break;
            case BlockResponse response:
                w.WriteByte((byte)ConsensusMessageTag.BlockResponse);
                w.WriteUInt64(response.Epoch);
                w.WriteCount(response.Blocks.Count);
                foreach (var block in response.Blocks)
                {
                    ConsensusParts.WriteBlock(ref w, block);
                }

                break;
            default:
                throw new ArgumentException($"{message.GetType().Name} has no consensus encoding.", nameof(message));
        }

        w.Flush();
    }

    /// <summary>Bytes of a <see cref="BlockResponse"/> before its blocks: tag, epoch, block count.</summary>
    public const int BlockResponseHeaderBytes = 1 + 8 + 4;

    /// <summary>
    /// The exact number of bytes a block takes inside a proposal or a block response, computed from
    /// its fields without encoding it: lets a sender choose what fits a frame before writing
    /// megabytes it would throw away.
    /// </summary>
    public static long EncodedLength(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        long length = ConsensusParts.BlockMinBytes - ConsensusParts.QcMinBytes + ConsensusParts.QcLength(block.Qc);
        foreach (var transaction in block.Transactions)
        {
            length += 4 + transaction.Length;
        }

        foreach (var evidence in block.Evidence)
        {
            length += ConsensusParts.EvidenceLength(evidence);
        }

        return length;
    }

    /// <summary>
    /// Decodes one whole payload. Never throws on any bytes: a malformed, truncated, oversized or
    /// over-long payload is an error value and <paramref name="message"/> is null. Signatures are
    /// not checked here.
    /// </summary>
    public static ConsensusDecodeError TryRead(ReadOnlySpan<byte> payload, ConsensusCodecLimits limits, out ConsensusMessage? message)
    {
        ArgumentNullException.ThrowIfNull(limits);
        message = null;
        var r = new CodecReader(payload, limits);
        if (!r.TryReadByte(out var tag))
        {
            return r.Error;
        }

        ConsensusMessage? decoded;
        switch ((ConsensusMessageTag)tag)
        {
            case ConsensusMessageTag.Proposal:
                decoded = ReadProposal(ref r);
                break;
            case ConsensusMessageTag.Vote:
                decoded = ReadVote(ref r);
                break;
            case ConsensusMessageTag.Timeout:
                decoded = ReadTimeout(ref r);
                break;
            case ConsensusMessageTag.Evidence:
                var evidence = ConsensusParts.ReadEvidence(ref r);
                decoded = evidence is null ? null : new EvidenceMessage(evidence);
                break;
            case ConsensusMessageTag.BlockRequest:
                decoded = ReadBlockRequest(ref r);
                break;
            case ConsensusMessageTag.BlockResponse:
                decoded = ReadBlockResponse(ref r);
                break;
            default:
                return ConsensusDecodeError.UnknownTag;
        }

        if (decoded is null)
        {
            return r.Error;
        }

        if (r.Remaining != 0)
        {
            return ConsensusDecodeError.TrailingBytes;
        }

        message = decoded;
        return ConsensusDecodeError.None;
    }

    private static Proposal? ReadProposal(ref CodecReader r)
    {
        var block = ConsensusParts.ReadBlock(ref r);
        if (block is null || !r.TryReadBytes(r.Limits.MaxSignatureBytes, ConsensusDecodeError.SignatureTooLarge, out var signature))
        {
            return null;
        }

        var tc = ConsensusParts.ReadOptionalTc(ref r, out var ok);
        return ok ? new Proposal(block, signature, tc) : null;
    }

    private static Vote? ReadVote(ref CodecReader r)
    {
        if (!r.TryReadUInt64(out var epoch) || !r.TryReadUInt64(out var round) || !r.TryReadUInt64(out var height) || !r.TryReadHash(out var blockId)
            || !ConsensusParts.TryReadValidatorIndex(ref r, out var voter)
            || !r.TryReadBytes(r.Limits.MaxSignatureBytes, ConsensusDecodeError.SignatureTooLarge, out var signature))
        {
            return null;
        }

        return new Vote(epoch, round, height, blockId, voter, signature);
    }

    private static TimeoutMessage? ReadTimeout(ref CodecReader r)
    {
        if (!r.TryReadUInt64(out var epoch) || !r.TryReadUInt64(out var round) || !ConsensusParts.TryReadValidatorIndex(ref r, out var voter)
            || !r.TryReadBytes(r.Limits.MaxSignatureBytes, ConsensusDecodeError.SignatureTooLarge, out var signature))
        {
            return null;
        }

        var highQc = ConsensusParts.ReadQc(ref r);
        if (highQc is null)
        {
            return null;
        }

        var tc = ConsensusParts.ReadOptionalTc(ref r, out var ok);
        return ok ? new TimeoutMessage(epoch, round, highQc, voter, signature, tc) : null;
    }

    private static BlockRequest? ReadBlockRequest(ref CodecReader r)
    {
        if (!r.TryReadUInt64(out var epoch) || !r.TryReadHash(out var blockId) || !r.TryReadUInt32(out var maxAncestors))
        {
            return null;
        }

        // The constructor would clamp a larger count; refusing it keeps the encoding canonical.
        if (maxAncestors > BlockRequest.MaxAncestorsLimit)
        {
            r.Fail(ConsensusDecodeError.BadValue);
            return null;
        }

        return new BlockRequest(epoch, blockId, (int)maxAncestors);
    }

    private static BlockResponse? ReadBlockResponse(ref CodecReader r)
    {
        if (!r.TryReadUInt64(out var epoch) || !r.TryReadCount(r.Limits.MaxBlocksPerBatch, ConsensusParts.BlockMinBytes, ConsensusDecodeError.TooManyBlocks, out var count))
        {
            return null;
        }

        var blocks = count == 0 ? [] : new Block[count];
        for (var i = 0; i < count; i++)
        {
            var block = ConsensusParts.ReadBlock(ref r);
            if (block is null)
            {
                return null;
            }

            blocks[i] = block;
        }

        return new BlockResponse(epoch, blocks);
    }
}
