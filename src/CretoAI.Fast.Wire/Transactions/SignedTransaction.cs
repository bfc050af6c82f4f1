using System.Buffers.Binary;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Transactions;

/// <summary>
/// The envelope of every transaction a client signs, as carried in blocks (layout v1, little-endian):
/// <code>
///   0  u8    version (1)
///   1  u8    kind (<see cref="TransactionKind"/>)
///   2  u16   reserved, 0
///   4  u64   nonce (per sender, strictly increasing where the kind requires it)
///  12  u32   body length (≤ <see cref="MaxBodyLength"/>)
///  16  32 B  chain id
///  48  2592  sender's ML-DSA-87 public key (the sender id is SHA3-256 of it)
/// 2640 body
///  ..  4627  ML-DSA-87 signature over bytes [0, 2640 + body length) with context <see cref="SignatureContext"/>
/// </code>
/// The chain id inside the signed bytes binds a transaction to one chain; the nonce stops replays.
/// <see cref="TryParse"/> reads without copying; any malformed input is a <see cref="TransactionParseError"/>.
/// </summary>
public readonly ref struct SignedTransaction
{
    public const byte Version = 1;
    public const int PublicKeySize = 2592;
    public const int SignatureSize = 4627;
    public const int HeaderSize = 48 + PublicKeySize;
    public const int MaxBodyLength = 64 * 1024;

    private readonly ReadOnlySpan<byte> _bytes;

    private SignedTransaction(ReadOnlySpan<byte> bytes, TransactionKind kind, ulong nonce, int bodyLength)
    {
        _bytes = bytes;
        Kind = kind;
        Nonce = nonce;
        BodyLength = bodyLength;
    }

    /// <summary>ML-DSA context string of transaction signatures.</summary>
    public static ReadOnlySpan<byte> SignatureContext => "cretoai-fast/tx/v1"u8;

    public TransactionKind Kind { get; }

    public ulong Nonce { get; }

    public int BodyLength { get; }

    public Hash32 ChainId => new(_bytes.Slice(16, Hash32.Size));

    public ReadOnlySpan<byte> PublicKey => _bytes.Slice(48, PublicKeySize);

    public ReadOnlySpan<byte> Body => _bytes.Slice(HeaderSize, BodyLength);

    /// <summary>The bytes the signature covers.</summary>
    public ReadOnlySpan<byte> SignedBytes => _bytes[..(HeaderSize + BodyLength)];

    public ReadOnlySpan<byte> Signature => _bytes.Slice(HeaderSize + BodyLength, SignatureSize);

    /// <summary>Total encoded length for a body of <paramref name="bodyLength"/> bytes.</summary>
    public static int EncodedLength(int bodyLength) => HeaderSize + bodyLength + SignatureSize;

    /// <summary>Parses the envelope; does not check the signature.</summary>
    public static TransactionParseError TryParse(ReadOnlySpan<byte> bytes, out SignedTransaction transaction)
    {
        transaction = default;
        if (bytes.Length < HeaderSize + SignatureSize)
        {
            return TransactionParseError.Truncated;
        }

        if (bytes[0] != Version)
        {
            return TransactionParseError.UnsupportedVersion;
        }

        var kind = (TransactionKind)bytes[1];
        if (kind == TransactionKind.Unknown || !Enum.IsDefined(kind))
        {
            return TransactionParseError.UnknownKind;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]) != 0)
        {
            return TransactionParseError.ReservedNotZero;
        }

        var bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]);
        if (bodyLength > MaxBodyLength)
        {
            return TransactionParseError.BodyTooLarge;
        }

        if (bytes.Length != EncodedLength((int)bodyLength))
        {
            return bytes.Length < EncodedLength((int)bodyLength) ? TransactionParseError.Truncated : TransactionParseError.TrailingBytes;
        }

        transaction = new SignedTransaction(bytes, kind, BinaryPrimitives.ReadUInt64LittleEndian(bytes[4..]), (int)bodyLength);
        return TransactionParseError.None;
    }

    /// <summary>
    /// Writes everything but the signature into <paramref name="destination"/> (at least
    /// <see cref="EncodedLength"/> bytes) and returns the span to sign; the caller writes the signature
    /// right after it.
    /// </summary>
    public static int WriteUnsigned(Span<byte> destination, TransactionKind kind, ulong nonce, Hash32 chainId, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> body)
    {
        if (publicKey.Length != PublicKeySize)
        {
            throw new ArgumentException($"An ML-DSA-87 public key is {PublicKeySize} bytes, got {publicKey.Length}.", nameof(publicKey));
        }

        if (body.Length > MaxBodyLength)
        {
            throw new ArgumentException($"A transaction body is at most {MaxBodyLength} bytes, got {body.Length}.", nameof(body));
        }

        if (destination.Length < EncodedLength(body.Length))
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes, the transaction needs {EncodedLength(body.Length)}.", nameof(destination));
        }

        destination[0] = Version;
        destination[1] = (byte)kind;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[4..], nonce);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)body.Length);
        chainId.CopyTo(destination[16..]);
        publicKey.CopyTo(destination[48..]);
        body.CopyTo(destination[HeaderSize..]);
        return HeaderSize + body.Length;
    }
}
