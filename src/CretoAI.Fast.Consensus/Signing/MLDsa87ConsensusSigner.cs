using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Consensus.Signing;

/// <summary>Consensus signing with a real ML-DSA-87 key (any <see cref="IMessageSigner"/>, the in-house one by default).</summary>
public sealed class MLDsa87ConsensusSigner : IConsensusSigner
{
    private readonly IMessageSigner _signer;

    public MLDsa87ConsensusSigner(IMessageSigner signer) => _signer = signer ?? throw new ArgumentNullException(nameof(signer));

    /// <summary>A signer for the key pair derived from a 32-byte FIPS 204 seed.</summary>
    public static MLDsa87ConsensusSigner FromSeed(ReadOnlySpan<byte> seed) => new(new MLDsa87Signer(seed));

    public Hash32 NodeId => _signer.NodeId;

    public ReadOnlyMemory<byte> PublicKey => _signer.PublicKey;

    public int SignatureSize => MLDsa87Sizes.Signature;

    public int Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature) => _signer.Sign(message, context, signature);
}
