using CretoAI.Fast.Consensus.Evidence;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>
/// The layouts shared by <see cref="ConsensusCodec"/> and <see cref="CommittedBlockCodec"/>: quorum
/// and timeout certificates, blocks and equivocation evidence (docs/protocol.md §10). Each reader
/// returns null after recording the error in the <see cref="CodecReader"/>. Nothing nests deeper
/// than a fixed depth (a block holds a QC; a TC holds a QC), so no input can recurse.
/// </summary>
internal static class ConsensusParts
{
    /// <summary>epoch, round, height, block id, bitmap word count, signature count.</summary>
    public const int QcMinBytes = 8 + 8 + 8 + Hash32.Size + 4 + 4;

    /// <summary>epoch, round, bitmap word count, signer count, high QC.</summary>
    public const int TcMinBytes = 8 + 8 + 4 + 4 + QcMinBytes;

    /// <summary>height, block id, signature length.</summary>
    public const int StatementMinBytes = 8 + Hash32.Size + 4;

    /// <summary>kind, epoch, round, validator index, two statements.</summary>
    public const int EvidenceMinBytes = 1 + 8 + 8 + 4 + (2 * StatementMinBytes);

    /// <summary>chain id, epoch, round, height, timestamp, proposer, QC, transaction count, evidence count.</summary>
    public const int BlockMinBytes = Hash32.Size + 8 + 8 + 8 + 8 + 4 + QcMinBytes + 4 + 4;

    // ------------------------------------------------------------------ length

    /// <summary>Bytes <see cref="WriteQc"/> produces for <paramref name="qc"/>.</summary>
    public static long QcLength(QuorumCertificate qc)
    {
        long length = QcMinBytes + (8L * qc.SignerBitmap.Count);
        foreach (var signature in qc.Signatures)
        {
            length += 4 + signature.Length;
        }

        return length;
    }

    /// <summary>Bytes <see cref="WriteEvidence"/> produces for <paramref name="evidence"/>.</summary>
    public static long EvidenceLength(EquivocationEvidence evidence) =>
        EvidenceMinBytes + evidence.First.Signature.Length + evidence.Second.Signature.Length;

    // ------------------------------------------------------------------ write

    public static void WriteQc(ref CodecWriter w, QuorumCertificate qc)
    {
        w.WriteUInt64(qc.Epoch);
        w.WriteUInt64(qc.Round);
        w.WriteUInt64(qc.Height);
        w.WriteHash(qc.BlockId);
        WriteBitmap(ref w, qc.SignerBitmap);
        w.WriteCount(qc.Signatures.Count);
        foreach (var signature in qc.Signatures)
        {
            w.WriteBytes(signature);
        }
    }

    public static void WriteTc(ref CodecWriter w, TimeoutCertificate tc)
    {
        if (tc.HighQcRounds.Count != tc.Signatures.Count)
        {
            throw new ArgumentException($"A timeout certificate pairs each signature with a high-QC round; this one has {tc.Signatures.Count} signatures and {tc.HighQcRounds.Count} rounds.", nameof(tc));
        }

        w.WriteUInt64(tc.Epoch);
        w.WriteUInt64(tc.Round);
        WriteBitmap(ref w, tc.SignerBitmap);
        w.WriteCount(tc.Signatures.Count);
        for (var i = 0; i < tc.Signatures.Count; i++)
        {
            w.WriteUInt64(tc.HighQcRounds[i]);
            w.WriteBytes(tc.Signatures[i]);
        }

        WriteQc(ref w, tc.HighQc);
    }

    /// <summary>A presence flag, then the certificate when present.</summary>
    public static void WriteOptionalTc(ref CodecWriter w, TimeoutCertificate? tc)
    {
        w.WriteFlag(tc is not null);
        if (tc is not null)
        {
            WriteTc(ref w, tc);
        }
    }

    public static void WriteBlock(ref CodecWriter w, Block block)
    {
        w.WriteHash(block.ChainId);
        w.WriteUInt64(block.Epoch);
        w.WriteUInt64(block.Round);
        w.WriteUInt64(block.Height);
        w.WriteUInt64(block.TimestampMs);
        w.WriteInt32(block.ProposerIndex);
        WriteQc(ref w, block.Qc);
        w.WriteCount(block.Transactions.Count);
        foreach (var transaction in block.Transactions)
        {
            w.WriteBytes(transaction);
        }

        w.WriteCount(block.Evidence.Count);
        foreach (var evidence in block.Evidence)
        {
            WriteEvidence(ref w, evidence);
        }
    }

    public static void WriteEvidence(ref CodecWriter w, EquivocationEvidence evidence)
    {
        w.WriteByte((byte)evidence.Kind);
        w.WriteUInt64(evidence.Epoch);
        w.WriteUInt64(evidence.Round);
        w.WriteInt32(evidence.ValidatorIndex);
        WriteStatement(ref w, evidence.First);
        WriteStatement(ref w, evidence.Second);
    }

    private static void WriteStatement(ref CodecWriter w, SignedStatement statement)
    {
        w.WriteUInt64(statement.Height);
        w.WriteHash(statement.BlockId);
        w.WriteBytes(statement.Signature);
    }

    private static void WriteBitmap(ref CodecWriter w, IReadOnlyList<ulong> bitmap)
    {
        w.WriteCount(bitmap.Count);
        for (var i = 0; i < bitmap.Count; i++)
        {
            w.WriteUInt64(bitmap[i]);
        }
    }

    // ------------------------------------------------------------------ read

    public static QuorumCertificate? ReadQc(ref CodecReader r)
    {
        if (!r.TryReadUInt64(out var epoch) || !r.TryReadUInt64(out var round) || !r.TryReadUInt64(out var height) || !r.TryReadHash(out var blockId))
        {
            return null;
        }

        var bitmap = ReadBitmap(ref r);
        if (bitmap is null || !r.TryReadCount(r.Limits.MaxValidators, 4, ConsensusDecodeError.TooManySignatures, out var count))
        {
            return null;
        }

        var signatures = count == 0 ? [] : new byte[count][];
        for (var i = 0; i < count; i++)
        {
            if (!r.TryReadBytes(r.Limits.MaxSignatureBytes, ConsensusDecodeError.SignatureTooLarge, out signatures[i]))
            {
                return null;
            }
        }

        return new QuorumCertificate(epoch, round, height, blockId, bitmap, signatures);
    }

    public static TimeoutCertificate? ReadTc(ref CodecReader r)
    {
        if (!r.TryReadUInt64(out var epoch) || !r.TryReadUInt64(out var round))
        {
            return null;
        }

        var bitmap = ReadBitmap(ref r);
        if (bitmap is null || !r.TryReadCount(r.Limits.MaxValidators, 8 + 4, ConsensusDecodeError.TooManySignatures, out var count))
        {
            return null;
        }

        var rounds = count == 0 ? [] : new ulong[count];
        var signatures = count == 0 ? [] : new byte[count][];
        for (var i = 0; i < count; i++)
        {
            if (!r.TryReadUInt64(out rounds[i]) || !r.TryReadBytes(r.Limits.MaxSignatureBytes, ConsensusDecodeError.SignatureTooLarge, out signatures[i]))
            {
                return null;
            }
        }

        var highQc = ReadQc(ref r);
        return highQc is null ? null : new TimeoutCertificate(epoch, round, bitmap, rounds, signatures, highQc);
    }

    /// <summary>A presence flag (0 or 1), then the certificate when present; <paramref name="ok"/> is false on error.</summary>
    public static TimeoutCertificate? ReadOptionalTc(ref CodecReader r, out bool ok)
    {
        ok = false;
        if (!r.TryReadFlag(out var present))
        {
            return null;
        }

        if (!present)
        {
            ok = true;
            return null;
        }

        var tc = ReadTc(ref r);
        ok = tc is not null;
        return tc;
    }

    public static Block? ReadBlock(ref CodecReader r)
    {
        var start = r.Position;
        var limits = r.Limits;
        if (!r.TryReadHash(out var chainId) || !r.TryReadUInt64(out var epoch) || !r.TryReadUInt64(out var round)
            || !r.TryReadUInt64(out var height) || !r.TryReadUInt64(out var timestampMs) || !r.TryReadInt32(out var proposer))
        {
            return null;
        }

        if (proposer < -1 || proposer >= limits.MaxValidators)
        {
            r.Fail(ConsensusDecodeError.BadValue);
            return null;
        }

        var qc = ReadQc(ref r);
        if (qc is null || !r.TryReadCount(limits.MaxTransactionsPerBlock, 4, ConsensusDecodeError.TooManyTransactions, out var txCount))
        {
            return null;
        }

        var transactions = txCount == 0 ? [] : new byte[txCount][];
        for (var i = 0; i < txCount; i++)
        {
            if (!r.TryReadUInt32(out var length))
            {
                return null;
            }

            if (length > (uint)Math.Max(limits.MaxTransactionBytes, 0))
            {
                r.Fail(ConsensusDecodeError.TransactionTooLarge);
                return null;
            }

            // The block bound is checked before the copy: the transactions are nearly all of a block's bytes.
            if ((ulong)(r.Position - start) + length > (ulong)Math.Max(limits.MaxBlockBytes, 0))
            {
                r.Fail(ConsensusDecodeError.BlockTooLarge);
                return null;
            }

            if (!r.TryTake(length, out transactions[i]))
            {
                return null;
            }
        }

        if (!r.TryReadCount(limits.MaxEvidencePerBlock, EvidenceMinBytes, ConsensusDecodeError.TooManyEvidence, out var evidenceCount))
        {
            return null;
        }

        var evidence = evidenceCount == 0 ? [] : new EquivocationEvidence[evidenceCount];
        for (var i = 0; i < evidenceCount; i++)
        {
            var e = ReadEvidence(ref r);
            if (e is null)
            {
                return null;
            }

            evidence[i] = e;
        }

        if (r.Position - start > limits.MaxBlockBytes)
        {
            r.Fail(ConsensusDecodeError.BlockTooLarge);
            return null;
        }

        return new Block(chainId, epoch, round, height, qc, proposer, transactions, evidence, timestampMs);
    }

    public static EquivocationEvidence? ReadEvidence(ref CodecReader r)
    {
        if (!r.TryReadByte(out var kind) || !r.TryReadUInt64(out var epoch) || !r.TryReadUInt64(out var round) || !r.TryReadInt32(out var validator))
        {
            return null;
        }

        if (!Enum.IsDefined((SignedKind)kind) || validator < 0 || validator >= r.Limits.MaxValidators)
        {
            r.Fail(ConsensusDecodeError.BadValue);
            return null;
        }

        var first = ReadStatement(ref r);
        var second = first is null ? null : ReadStatement(ref r);
        return second is null ? null : new EquivocationEvidence((SignedKind)kind, epoch, round, validator, first!, second);
    }

    /// <summary>A validator index: 0 up to the largest set.</summary>
    public static bool TryReadValidatorIndex(ref CodecReader r, out int index)
    {
        if (!r.TryReadInt32(out index))
        {
            return false;
        }

        return (index >= 0 && index < r.Limits.MaxValidators) || r.Fail(ConsensusDecodeError.BadValue);
    }

    private static SignedStatement? ReadStatement(ref CodecReader r)
    {
        if (!r.TryReadUInt64(out var height) || !r.TryReadHash(out var blockId)
            || !r.TryReadBytes(r.Limits.MaxSignatureBytes, ConsensusDecodeError.SignatureTooLarge, out var signature))
        {
            return null;
        }

        return new SignedStatement(height, blockId, signature);
    }

    private static ulong[]? ReadBitmap(ref CodecReader r)
    {
        if (!r.TryReadCount(r.Limits.MaxBitmapWords, 8, ConsensusDecodeError.BitmapTooLarge, out var words))
        {
            return null;
        }

        var bitmap = words == 0 ? [] : new ulong[words];
        for (var i = 0; i < words; i++)
        {
            if (!r.TryReadUInt64(out bitmap[i]))
            {
                return null;
            }
        }

        return bitmap;
    }
}
