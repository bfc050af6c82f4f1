using System.Buffers.Binary;
using System.Collections.Concurrent;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Simulation;

/// <summary>Deterministic validator keys for simulated networks (ML-DSA-87 key generation is cached: it is slow and the keys never change).</summary>
public static class SimulationKeys
{
    private static readonly ConcurrentDictionary<int, IConsensusSigner> MLDsaSigners = new();

    public static IConsensusSigner Signer(SignatureScheme scheme, int index) => scheme switch
    {
        SignatureScheme.Fake => FakeSignatureScheme.CreateSigner(index),
        SignatureScheme.MLDsa87 => MLDsaSigners.GetOrAdd(index, static i =>
        {
            Span<byte> seed = stackalloc byte[MLDsa87Sizes.Seed];
            "cretoai-fast simulated validator"u8[..24].CopyTo(seed);
            BinaryPrimitives.WriteInt64LittleEndian(seed[24..], i);
            return MLDsa87ConsensusSigner.FromSeed(seed);
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown signature scheme."),
    };

    public static IConsensusVerifier Verifier(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.Fake => FakeSignatureScheme.Instance,
        SignatureScheme.MLDsa87 => MLDsa87ConsensusVerifier.Fast,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown signature scheme."),
    };
}
