using System.Runtime.CompilerServices;

namespace CretoAI.Fast.Crypto;

/// <summary>
/// One ML-DSA-87 public key in expanded form: Â in the NTT domain, NTT(t1·2^d) and tr = H(pk, 64),
/// all derived here from the key bytes (never taken from outside, so a cache cannot be fed a
/// matrix that does not belong to the key). Expanding costs about one cold verification; each
/// verification after that skips ExpandA, the t1 transforms and hashing the key, and allocates
/// nothing. Immutable and safe for concurrent use.
/// </summary>
public sealed class MLDsa87Verifier
{
    private const int N = MLDsa87Parameters.N;

    /// <summary>Bytes one verifier keeps alive (arrays plus object overhead, rounded up); what <see cref="MLDsa87KeyCache"/> counts.</summary>
    public const int RetainedBytes = ((MLDsa87Parameters.K * MLDsa87Parameters.L * N) + (MLDsa87Parameters.K * N)) * sizeof(int)
        + MLDsa87Parameters.TrBytes + MLDsa87.PublicKeySize + 256;

    private readonly int[] _matrix;
    private readonly int[] _t1Hat;
    private readonly byte[] _tr;
    private readonly byte[] _publicKey;

    /// <summary>Expands <paramref name="publicKey"/>; throws <see cref="ArgumentException"/> unless it is 2,592 bytes (any such bytes are a valid key).</summary>
    public MLDsa87Verifier(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != MLDsa87.PublicKeySize)
        {
            throw new ArgumentException($"An ML-DSA-87 public key is {MLDsa87.PublicKeySize} bytes, got {publicKey.Length}.", nameof(publicKey));
        }

        _publicKey = publicKey.ToArray();
        _matrix = new int[MLDsa87Parameters.K * MLDsa87Parameters.L * N];
        _t1Hat = new int[MLDsa87Parameters.K * N];
        _tr = new byte[MLDsa87Parameters.TrBytes];
        MLDsa87Engine.ExpandPublicMatrix(publicKey, _matrix);
        MLDsa87Engine.ExpandT1(publicKey, _t1Hat);
        MLDsa87Engine.ComputeTr(publicKey, _tr);
    }

    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>True when <paramref name="publicKey"/> is this verifier's key, byte for byte.</summary>
    public bool IsFor(ReadOnlySpan<byte> publicKey) => publicKey.SequenceEqual(_publicKey);

    /// <summary>ML-DSA.Verify (pure, with context); false for any bad input, never throws.</summary>
    [SkipLocalsInit]
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != MLDsa87.SignatureSize || context.Length > MLDsa87.MaxContextSize)
        {
            return false;
        }

        Span<byte> mu = stackalloc byte[MLDsa87.MuSize];
        ReadOnlySpan<byte> header = [0, (byte)context.Length];
        MLDsa87Engine.ComputeMu(_tr, header, context, default, message, mu);
        return MLDsa87Engine.VerifyMu(_matrix, _t1Hat, mu, signature);
    }

    /// <summary>HashML-DSA.Verify.</summary>
    [SkipLocalsInit]
    public bool VerifyPreHash(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, MLDsaPreHash hash, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != MLDsa87.SignatureSize || context.Length > MLDsa87.MaxContextSize || !Enum.IsDefined(hash))
        {
            return false;
        }

        Span<byte> mu = stackalloc byte[MLDsa87.MuSize];
        MLDsa87.PreHashMu(_tr, message, context, hash, mu);
        return MLDsa87Engine.VerifyMu(_matrix, _t1Hat, mu, signature);
    }

    /// <summary>Verify_internal on M′.</summary>
    [SkipLocalsInit]
    public bool VerifyInternal(ReadOnlySpan<byte> messagePrime, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != MLDsa87.SignatureSize)
        {
            return false;
        }

        Span<byte> mu = stackalloc byte[MLDsa87.MuSize];
        MLDsa87Engine.ComputeMu(_tr, default, default, default, messagePrime, mu);
        return MLDsa87Engine.VerifyMu(_matrix, _t1Hat, mu, signature);
    }

    /// <summary>Verify_internal from an external μ.</summary>
    public bool VerifyExternalMu(ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature) =>
        signature.Length == MLDsa87.SignatureSize && mu.Length == MLDsa87.MuSize && MLDsa87Engine.VerifyMu(_matrix, _t1Hat, mu, signature);
}
