using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Signing;

/// <summary>A validator's signing key as consensus sees it: sign bytes under a context string.</summary>
public interface IConsensusSigner
{
    Hash32 NodeId { get; }

    ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>Bytes a signature from this key occupies.</summary>
    int SignatureSize { get; }

    /// <summary>Signs <paramref name="message"/> under <paramref name="context"/>; returns the bytes written.</summary>
    int Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature);
}
