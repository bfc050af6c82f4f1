using System.Collections.Concurrent;
using System.Security.Cryptography;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// Keeps ML-DSA work off the consensus thread. Receive paths verify a message's signatures on
/// the thread pool through <see cref="Recording"/>, which remembers each check that passed; the
/// engine's own verifier (<see cref="Engine"/>) then finds them here and only falls back to a real
/// verification for anything not seen (a certificate assembled from votes it verified itself, say).
/// </summary>
/// <remarks>
/// A check is remembered by SHA-256 over (public key, message, context, signature) with length
/// prefixes, so a forged signature can never match a remembered one. The set is bounded: past
/// <see cref="Capacity"/> entries it is cleared (the cost is a re-verification, never a wrong answer).
/// </remarks>
internal sealed class VerifiedSignatureCache
{
    public const int Capacity = 1 << 16;

    private readonly ConcurrentDictionary<Hash32, byte> _passed = new();
    private readonly IConsensusVerifier _inner;
    private long _hits;
    private long _misses;

    public VerifiedSignatureCache(IConsensusVerifier inner)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Recording = new RecordingVerifier(this);
        Engine = new CachedVerifier(this);
    }

    /// <summary>Verifies for real and remembers what passed (receive paths, thread pool).</summary>
    public IConsensusVerifier Recording { get; }

    /// <summary>Answers from memory when it can, verifies otherwise (the consensus thread).</summary>
    public IConsensusVerifier Engine { get; }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    private static Hash32 KeyOf(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        Append(hash, publicKey, length);
        Append(hash, message, length);
        Append(hash, context, length);
        Append(hash, signature, length);
        Span<byte> digest = stackalloc byte[Hash32.Size];
        hash.GetHashAndReset(digest);
        return new Hash32(digest);

        static void Append(IncrementalHash hash, ReadOnlySpan<byte> part, Span<byte> length)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, part.Length);
            hash.AppendData(length);
            hash.AppendData(part);
        }
    }

    private void Remember(Hash32 key)
    {
        if (_passed.Count >= Capacity)
        {
            _passed.Clear();
        }

        _passed.TryAdd(key, 0);
    }

    private bool Known(Hash32 key)
    {
        if (_passed.ContainsKey(key))
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        Interlocked.Increment(ref _misses);
        return false;
    }

    private sealed class RecordingVerifier(VerifiedSignatureCache owner) : IConsensusVerifier
    {
        public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
        {
            var key = KeyOf(publicKey, message, context, signature);
            if (owner._passed.ContainsKey(key))
            {
                return true;
            }

            if (!owner._inner.Verify(publicKey, message, context, signature))
            {
                return false;
            }

            owner.Remember(key);
            return true;
        }

        public bool VerifyAll(ReadOnlySpan<SignatureCheck> checks)
        {
            var keys = new Hash32[checks.Length];
            var missing = new List<SignatureCheck>(checks.Length);
            for (var i = 0; i < checks.Length; i++)
            {
                var c = checks[i];
                keys[i] = KeyOf(c.PublicKey.Span, c.Message.Span, c.Context.Span, c.Signature.Span);
                if (!owner._passed.ContainsKey(keys[i]))
                {
                    missing.Add(c);
                }
            }

            if (missing.Count > 0 && !owner._inner.VerifyAll(missing.ToArray()))
            {
                return false;
            }

            foreach (var key in keys)
            {
                owner.Remember(key);
            }

            return true;
        }
    }

    private sealed class CachedVerifier(VerifiedSignatureCache owner) : IConsensusVerifier
    {
        public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature) =>
            owner.Known(KeyOf(publicKey, message, context, signature)) || owner._inner.Verify(publicKey, message, context, signature);

        public bool VerifyAll(ReadOnlySpan<SignatureCheck> checks)
        {
            var missing = new List<SignatureCheck>();
            foreach (var c in checks)
            {
                if (!owner.Known(KeyOf(c.PublicKey.Span, c.Message.Span, c.Context.Span, c.Signature.Span)))
                {
                    missing.Add(c);
                }
            }

            return missing.Count == 0 || owner._inner.VerifyAll(missing.ToArray());
        }
    }
}
