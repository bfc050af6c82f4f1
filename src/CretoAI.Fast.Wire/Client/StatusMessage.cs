using System.Buffers;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Client;

/// <summary>
/// Payload of <see cref="MessageType.StatusReply"/> (0x0203): one node's progress at one instant.
/// Fixed layout of <see cref="Length"/> bytes, little-endian (docs/protocol.md, "Client protocol"):
/// <code>
///   0  32 B  node id (SHA3-256 of the node's public key)
///  32  32 B  chain id
///  64  i32   validator index in the current set, -1 when the node is not a validator
///  68  u64   height of the last committed block (0: genesis only)
///  76  32 B  id of that block
/// 108  32 B  state hash after that block
/// 140  u64   current consensus round
/// 148  u64   current epoch
/// 156  i32   authenticated validator links, ≥ 0
/// 160  i32   transactions in the mempool, ≥ 0
/// 164  i64   bytes in the mempool, ≥ 0
/// 172  u8    catching up: 0 or 1
/// 173  u64   transactions committed since genesis
/// 181  u8    threat level of the adaptive quorum (0 normal, higher is stricter)
/// </code>
/// </summary>
public sealed record StatusMessage(
    Hash32 NodeId,
    Hash32 ChainId,
    int ValidatorIndex,
    ulong Height,
    Hash32 BlockHash,
    Hash32 StateHash,
    ulong Round,
    ulong Epoch,
    int ConnectedValidators,
    int MempoolTransactions,
    long MempoolBytes,
    bool CatchingUp,
    ulong CommittedTransactions,
    byte ThreatLevel)
{
    public const int Length = 182;

    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (ValidatorIndex < -1 || ConnectedValidators < 0 || MempoolTransactions < 0 || MempoolBytes < 0)
        {
            throw new InvalidOperationException($"A status needs ValidatorIndex ≥ -1 and non-negative counts (got {ValidatorIndex}, {ConnectedValidators}, {MempoolTransactions}, {MempoolBytes}).");
        }

        FixedPayloadWriter.WriteHash(writer, NodeId);
        FixedPayloadWriter.WriteHash(writer, ChainId);
        FixedPayloadWriter.WriteInt32(writer, ValidatorIndex);
        FixedPayloadWriter.WriteUInt64(writer, Height);
        FixedPayloadWriter.WriteHash(writer, BlockHash);
        FixedPayloadWriter.WriteHash(writer, StateHash);
        FixedPayloadWriter.WriteUInt64(writer, Round);
        FixedPayloadWriter.WriteUInt64(writer, Epoch);
        FixedPayloadWriter.WriteInt32(writer, ConnectedValidators);
        FixedPayloadWriter.WriteInt32(writer, MempoolTransactions);
        FixedPayloadWriter.WriteInt64(writer, MempoolBytes);
        FixedPayloadWriter.WriteByte(writer, CatchingUp ? (byte)1 : (byte)0);
        FixedPayloadWriter.WriteUInt64(writer, CommittedTransactions);
        FixedPayloadWriter.WriteByte(writer, ThreatLevel);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out StatusMessage? value) => TryRead(payload, out value, out _);

    public static bool TryRead(ReadOnlySpan<byte> payload, out StatusMessage? value, out WireErrorCode error)
    {
        value = null;
        var reader = new FixedPayloadReader(payload);
        if (reader.TryReadHash(out var nodeId)
            && reader.TryReadHash(out var chainId)
            && reader.TryReadInt32(-1, out var validatorIndex)
            && reader.TryReadUInt64(out var height)
            && reader.TryReadHash(out var blockHash)
            && reader.TryReadHash(out var stateHash)
            && reader.TryReadUInt64(out var round)
            && reader.TryReadUInt64(out var epoch)
            && reader.TryReadInt32(0, out var connected)
            && reader.TryReadInt32(0, out var mempoolTransactions)
            && reader.TryReadNonNegativeInt64(out var mempoolBytes)
            && reader.TryReadBoolean(out var catchingUp)
            && reader.TryReadUInt64(out var committed)
            && reader.TryReadByte(out var threat)
            && reader.TryEnd())
        {
            error = WireErrorCode.None;
            value = new StatusMessage(nodeId, chainId, validatorIndex, height, blockHash, stateHash, round, epoch, connected, mempoolTransactions, mempoolBytes, catchingUp, committed, threat);
            return true;
        }

        error = reader.Error;
        return false;
    }
}
