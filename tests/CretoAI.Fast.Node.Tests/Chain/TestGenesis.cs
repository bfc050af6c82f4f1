using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Node.Chain;

namespace CretoAI.Fast.Node.Tests.Chain;

/// <summary>A fixed genesis: four validators whose keys come from fixed seeds (validator i: 32 bytes of value i + 1).</summary>
internal static class TestGenesis
{
    public const ulong GenesisTimeMs = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    private static readonly byte[][] PublicKeys = CreateKeys(4);

    public static byte[] PublicKey(int index) => PublicKeys[index];

    public static ChainGenesis Create() => new()
    {
        ChainName = "cretoai-test",
        GenesisTimeMs = GenesisTimeMs,
        EpochLengthBlocks = 1000,
        Validators =
        [
            new GenesisValidator("node0", PublicKeys[0], 1_000_000, 500_000, 250_000),
            new GenesisValidator("node1", PublicKeys[1], 800_000, 600_000, 0),
            new GenesisValidator("node2", PublicKeys[2], 500_000, 400_000, 1_000),
            new GenesisValidator("node3", PublicKeys[3], 200_000, 500_000, 7),
        ],
    };

    public static string Json() => GenesisFile.ToJson(Create());

    private static byte[][] CreateKeys(int count)
    {
        var keys = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var seed = new byte[32];
            Array.Fill(seed, (byte)(i + 1));
            using var pair = KeyPair.FromSeed(seed);
            keys[i] = pair.PublicKey.ToArray();
        }

        return keys;
    }
}
