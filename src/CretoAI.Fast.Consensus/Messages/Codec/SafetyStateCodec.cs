using System.Buffers;
using CretoAI.Fast.Consensus.Engine;

namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>
/// The durable form of a validator's <see cref="SafetyState"/> (the WAL record a node writes
/// before any vote leaves it): <c>u64 epoch, u64 last voted round, u64 locked round</c>, then the
/// highest QC in the consensus QC layout (docs/protocol.md §10). Decoding never throws.
/// </summary>
public static class SafetyStateCodec
{
    public static void Write(IBufferWriter<byte> writer, SafetyState state)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(state);
        var w = new CodecWriter(writer);
        w.WriteUInt64(state.Epoch);
        w.WriteUInt64(state.LastVotedRound);
        w.WriteUInt64(state.LockedRound);
        ConsensusParts.WriteQc(ref w, state.HighQc);
        w.Flush();
    }

    public static ConsensusDecodeError TryRead(ReadOnlySpan<byte> payload, ConsensusCodecLimits limits, out SafetyState? state)
    {
        ArgumentNullException.ThrowIfNull(limits);
        state = null;
        var r = new CodecReader(payload, limits);
        if (!r.TryReadUInt64(out var epoch) || !r.TryReadUInt64(out var lastVoted) || !r.TryReadUInt64(out var locked))
        {
            return r.Error;
        }

        var qc = ConsensusParts.ReadQc(ref r);
        if (qc is null)
        {
            return r.Error;
        }

        if (r.Remaining != 0)
        {
            return ConsensusDecodeError.TrailingBytes;
        }

        state = new SafetyState(epoch, lastVoted, locked, qc);
        return ConsensusDecodeError.None;
    }
}
