using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Consensus.Signing;

/// <summary>
/// A cheap deterministic stand-in for ML-DSA-87 so the simulator can run thousands of seeds: a
/// "signature" is SHA3-256(public key ‖ len(context) ‖ context ‖ message). It binds key, context and
/// message (a signature under another key, context or message is rejected), but it is NOT
/// unforgeable — anyone who knows the public key can compute it. Simulation and tests only.
/// </summary>
public sealed class FakeSignatureScheme : IConsensusVerifier
{
    public const int SignatureSize = 32;
    public const int PublicKeySize = 32;

    public static FakeSignatureScheme Instance { get; } = new();

    /// <summary>A signer whose public key is derived from <paramref name="seed"/> (any bytes).</summary>
    public static IConsensusSigner CreateSigner(ReadOnlySpan<byte> seed)
    {
        var publicKey = new byte[PublicKeySize];
        SHA3_256.HashData(seed, publicKey);
        return new Signer(publicKey);
    }

    /// <summary>A signer for validator number <paramref name="index"/> of a simulated network.</summary>
    public static IConsensusSigner CreateSigner(int index)
    {
        Span<byte> seed = stackalloc byte[12];
        "fake"u8.CopyTo(seed);
        BinaryPrimitives.WriteInt64LittleEndian(seed[4..], index);
        return CreateSigner(seed);
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize || context.Length > 255)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SignatureSize];
        Compute(publicKey, message, context, expected);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    public bool VerifyAll(ReadOnlySpan<SignatureCheck> checks)
    {
        foreach (var check in checks)
        {
            if (!Verify(check.PublicKey.Span, check.Message.Span, check.Context.Span, check.Signature.Span))
            {
                return false;
            }
        }

        return true;
    }

    private static void Compute(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> output)
    {
        var length = publicKey.Length + 1 + context.Length + message.Length;
        byte[]? rented = null;
        var buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            publicKey.CopyTo(buffer);
            buffer[publicKey.Length] = (byte)context.Length;
            context.CopyTo(buffer[(publicKey.Length + 1)..]);
            message.CopyTo(buffer[(publicKey.Length + 1 + context.Length)..]);
            SHA3_256.HashData(buffer[..length], output);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private sealed class Signer : IConsensusSigner
    {
        private readonly byte[] _publicKey;

        public Signer(byte[] publicKey)
        {
            _publicKey = publicKey;
            NodeId = Sha3.Hash256(publicKey);
        }

        public Hash32 NodeId { get; }

        public ReadOnlyMemory<byte> PublicKey => _publicKey;

        public int SignatureSize => FakeSignatureScheme.SignatureSize;

        public int Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, Span<byte> signature)
        {
            if (signature.Length < SignatureSize)
            {
                throw new ArgumentException($"The signature buffer needs {SignatureSize} bytes.", nameof(signature));
            }

            Compute(_publicKey, message, context, signature);
            return SignatureSize;
        }
    }
}
