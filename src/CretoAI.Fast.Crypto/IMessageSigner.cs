using CretoAI.Fast.Core;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// A node's or client's signing identity: one ML-DSA-87 key pair. The identity of the key is
/// <see cref="NodeId"/> = SHA3-256(public key). Safe to call from many threads at once.
/// </summary>
public interface IMessageSigner
{
    ReadOnlyMemory<byte> PublicKey { get; }

    Hash32 NodeId { get; }

    /// <summary>Signs <paramref name="message"/> under <paramref name="context"/> (0–255 bytes) into <paramref name="signature"/>; returns the bytes written.</summary>
    int Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature);
}
