using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Net.Tests.Infrastructure;

/// <summary>
/// Key pairs shared by every test: ML-DSA-87 key generation costs milliseconds, so each identity
/// is derived once from a fixed seed.
/// </summary>
internal static class TestKeys
{
    public static IMessageSigner Server { get; } = FromSeed(1);

    public static IMessageSigner Client { get; } = FromSeed(2);

    public static IMessageSigner OtherClient { get; } = FromSeed(3);

    public static ISignatureVerifier Verifier => BouncyCastleMLDsa87.Instance;

    public static Hash32 ChainId { get; } = FilledHash(0xC1);

    public static Hash32 OtherChainId { get; } = FilledHash(0xD2);

    private static IMessageSigner FromSeed(byte value)
    {
        var seed = new byte[MLDsa87Sizes.Seed];
        seed.AsSpan().Fill(value);
        return BouncyCastleMLDsa87.CreateSigner(seed);
    }

    private static Hash32 FilledHash(byte value)
    {
        var bytes = new byte[Hash32.Size];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(value + i);
        }

        return new Hash32(bytes);
    }
}
