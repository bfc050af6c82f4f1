using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// Messages signed before the load starts, so verify mode measures verification only. A few keys
/// and a few dozen messages are reused round-robin; signing costs far more than verifying,
/// which bounds how many are worth making.
/// </summary>
internal sealed class SignedMessageSet
{
    private readonly byte[][] _publicKeys;
    private readonly byte[][] _messages;
    private readonly byte[][] _signatures;
    private readonly int[] _keyOf;

    private SignedMessageSet(byte[][] publicKeys, byte[][] messages, byte[][] signatures, int[] keyOf)
    {
        _publicKeys = publicKeys;
        _messages = messages;
        _signatures = signatures;
        _keyOf = keyOf;
    }

    /// <summary>ML-DSA context string of every signature in the set.</summary>
    public static ReadOnlySpan<byte> Context => "cretoai-fast/loadgen/verify"u8;

    public int Count => _messages.Length;

    public static SignedMessageSet Create(int count, int keys, int messageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keys, 1);
        var signers = new IMessageSigner[keys];
        var publicKeys = new byte[keys][];
        Span<byte> seed = stackalloc byte[MLDsa87Sizes.Seed];
        for (var k = 0; k < keys; k++)
        {
            // Fixed seeds: runs are repeatable and nothing secret is at stake.
            seed.Clear();
            seed[0] = (byte)k;
            signers[k] = new MLDsa87Signer(seed);
            publicKeys[k] = signers[k].PublicKey.ToArray();
        }

        var messages = new byte[count][];
        var signatures = new byte[count][];
        var keyOf = new int[count];
        var random = new Random(20261125);
        Parallel.For(0, count, i =>
        {
            var message = new byte[messageBytes];
            lock (random)
            {
                random.NextBytes(message);
            }

            var signature = new byte[MLDsa87Sizes.Signature];
            signers[i % keys].Sign(message, Context, signature);
            messages[i] = message;
            signatures[i] = signature;
            keyOf[i] = i % keys;
        });
        return new SignedMessageSet(publicKeys, messages, signatures, keyOf);
    }

    public ReadOnlySpan<byte> PublicKey(int item) => _publicKeys[_keyOf[item]];

    public ReadOnlySpan<byte> Message(int item) => _messages[item];

    public ReadOnlySpan<byte> Signature(int item) => _signatures[item];
}
