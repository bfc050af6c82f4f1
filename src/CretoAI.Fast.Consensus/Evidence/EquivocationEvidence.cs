using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Consensus.Evidence;

/// <summary>
/// Two statements of one kind (proposal or vote), one round and one validator, naming different
/// blocks, each with that validator's valid signature: proof of equivocation that anyone can check
/// against the validator set. Consumed by slashing, reputation and the threat level.
/// </summary>
public sealed class EquivocationEvidence
{
    public EquivocationEvidence(SignedKind kind, ulong epoch, ulong round, int validatorIndex, SignedStatement first, SignedStatement second)
    {
        Kind = kind;
        Epoch = epoch;
        Round = round;
        ValidatorIndex = validatorIndex;
        First = first ?? throw new ArgumentNullException(nameof(first));
        Second = second ?? throw new ArgumentNullException(nameof(second));
    }

    public SignedKind Kind { get; }

    public ulong Epoch { get; }

    public ulong Round { get; }

    public int ValidatorIndex { get; }

    public SignedStatement First { get; }

    public SignedStatement Second { get; }

    /// <summary>(kind, epoch, round, validator): one piece of evidence per offence is enough.</summary>
    public EvidenceKey Key => new(Kind, Epoch, Round, ValidatorIndex);

    internal void AppendIdentity(ref Sha3Hasher hash)
    {
        Span<byte> bytes = stackalloc byte[1 + 8 + 8 + 4 + (2 * (8 + Hash32.Size))];
        bytes[0] = (byte)Kind;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[1..], Epoch);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[9..], Round);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[17..], ValidatorIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[21..], First.Height);
        First.BlockId.CopyTo(bytes[29..]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[61..], Second.Height);
        Second.BlockId.CopyTo(bytes[69..]);
        hash.Append(bytes);
    }

    public override string ToString() => $"Equivocation({Kind} r{Round} by {ValidatorIndex}: {First.BlockId.ToShortString()} vs {Second.BlockId.ToShortString()})";
}
