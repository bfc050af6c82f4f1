using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Routing.Tests.Registry;

/// <summary>
/// Many agents without ML-DSA key generation: agent i's "public key" is 2,592 pseudo-random bytes from a
/// SHA3-256 chain seeded with i (any 2,592 bytes are a valid ML-DSA-87 key), registered through the
/// registry's unsigned test path.
/// </summary>
internal static class SyntheticAgents
{
    public static byte[] PublicKey(int i)
    {
        var key = new byte[SignedTransaction.PublicKeySize];
        Span<byte> seed = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(seed, i);
        var block = Sha3.Hash256(seed);
        Span<byte> chunk = stackalloc byte[32];
        for (var offset = 0; offset < key.Length; offset += 32)
        {
            block.CopyTo(chunk);
            chunk.CopyTo(key.AsSpan(offset, Math.Min(32, key.Length - offset)));
            block = Sha3.Hash256(chunk);
        }

        return key;
    }

    public static byte[] Profile(int i) => AgentTransactions.ProfileBody($"agent {i}", [$"group-{i % 7}", "synthetic"]);

    public static BlockContext At(ulong height) => new(height, RegistryFixture.GenesisTime + (height * 1000));

    /// <summary>Registers agents [from, from + count) at height 1; returns their ids.</summary>
    public static Hash32[] Register(AgentRegistry registry, int from, int count)
    {
        var ids = new Hash32[count];
        for (var i = 0; i < count; i++)
        {
            var key = PublicKey(from + i);
            var outcome = registry.RegisterUnsigned(key, Profile(from + i), At(1));
            Assert.Equal(TransactionVerdict.Applied, outcome.Verdict);
            ids[i] = AgentRegistry.AgentIdOf(key);
        }

        return ids;
    }
}
