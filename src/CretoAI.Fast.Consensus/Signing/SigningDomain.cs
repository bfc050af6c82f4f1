using System.Buffers.Binary;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Signing;

/// <summary>
/// The exact bytes every consensus signature covers. Each kind has its own ML-DSA context string
/// and its own leading tag byte, and every payload names the chain and epoch, so a signature made
/// for one kind, chain or epoch never verifies as another (the predecessor signed identical bytes
/// for different phases). Layout, little-endian:
/// <code>
/// proposal/vote: kind(1) chain(32) epoch(8) round(8) height(8) block(32)   = 89 bytes
/// timeout:       kind(1) chain(32) epoch(8) round(8) highQcRound(8)        = 57 bytes
/// </code>
/// </summary>
public static class SigningDomain
{
    public const int BlockStatementSize = 1 + Hash32.Size + 8 + 8 + 8 + Hash32.Size;
    public const int TimeoutStatementSize = 1 + Hash32.Size + 8 + 8 + 8;

    public static ReadOnlySpan<byte> ProposalContext => "cretoai-fast/consensus/proposal/v1"u8;

    public static ReadOnlySpan<byte> VoteContext => "cretoai-fast/consensus/vote/v1"u8;

    public static ReadOnlySpan<byte> TimeoutContext => "cretoai-fast/consensus/timeout/v1"u8;

    public static ReadOnlySpan<byte> ContextOf(SignedKind kind) => kind switch
    {
        SignedKind.Proposal => ProposalContext,
        SignedKind.Vote => VoteContext,
        SignedKind.Timeout => TimeoutContext,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown signed kind."),
    };

    /// <summary>Signed bytes of a proposal or a vote for a block.</summary>
    public static void WriteBlockStatement(SignedKind kind, Hash32 chainId, ulong epoch, ulong round, ulong height, Hash32 blockId, Span<byte> destination)
    {
        if (kind is not (SignedKind.Proposal or SignedKind.Vote))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only proposals and votes name a block.");
        }

        destination[0] = (byte)kind;
        chainId.CopyTo(destination[1..]);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[33..], epoch);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[41..], round);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[49..], height);
        blockId.CopyTo(destination[57..]);
    }

    /// <summary>Signed bytes of a timeout: "I give up on round r; my highest QC has round q".</summary>
    public static void WriteTimeoutStatement(Hash32 chainId, ulong epoch, ulong round, ulong highQcRound, Span<byte> destination)
    {
        destination[0] = (byte)SignedKind.Timeout;
        chainId.CopyTo(destination[1..]);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[33..], epoch);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[41..], round);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[49..], highQcRound);
    }

    public static byte[] SignBlockStatement(IConsensusSigner signer, SignedKind kind, Hash32 chainId, ulong epoch, ulong round, ulong height, Hash32 blockId)
    {
        ArgumentNullException.ThrowIfNull(signer);
        Span<byte> statement = stackalloc byte[BlockStatementSize];
        WriteBlockStatement(kind, chainId, epoch, round, height, blockId, statement);
        var signature = new byte[signer.SignatureSize];
        signer.Sign(statement, ContextOf(kind), signature);
        return signature;
    }

    public static byte[] SignTimeout(IConsensusSigner signer, Hash32 chainId, ulong epoch, ulong round, ulong highQcRound)
    {
        ArgumentNullException.ThrowIfNull(signer);
        Span<byte> statement = stackalloc byte[TimeoutStatementSize];
        WriteTimeoutStatement(chainId, epoch, round, highQcRound, statement);
        var signature = new byte[signer.SignatureSize];
        signer.Sign(statement, TimeoutContext, signature);
        return signature;
    }
}
