using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Transactions;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

public sealed class SignedTransactionTests
{
    private static readonly Hash32 Chain = Hash32.Parse(new string('a', 64));

    private static byte[] Encode(TransactionKind kind, ulong nonce, byte[] body, byte fill = 7)
    {
        var bytes = new byte[SignedTransaction.EncodedLength(body.Length)];
        var publicKey = new byte[SignedTransaction.PublicKeySize];
        publicKey.AsSpan().Fill(fill);
        var signed = SignedTransaction.WriteUnsigned(bytes, kind, nonce, Chain, publicKey, body);
        bytes.AsSpan(signed).Fill(0x5a);
        return bytes;
    }

    [Fact]
    public void Round_trip_keeps_every_field_and_the_signed_span_excludes_the_signature()
    {
        var body = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var bytes = Encode(TransactionKind.Unbond, 42, body);
        Assert.Equal(TransactionParseError.None, SignedTransaction.TryParse(bytes, out var tx));
        Assert.Equal(TransactionKind.Unbond, tx.Kind);
        Assert.Equal(42UL, tx.Nonce);
        Assert.Equal(Chain, tx.ChainId);
        Assert.Equal(body, tx.Body.ToArray());
        Assert.True(tx.PublicKey.ToArray().All(b => b == 7));
        Assert.Equal(SignedTransaction.HeaderSize + body.Length, tx.SignedBytes.Length);
        Assert.Equal(SignedTransaction.SignatureSize, tx.Signature.Length);
        Assert.True(tx.Signature.ToArray().All(b => b == 0x5a));
    }

    [Fact]
    public void Each_malformation_has_its_own_error()
    {
        var good = Encode(TransactionKind.Bond, 1, new byte[8]);
        Assert.Equal(TransactionParseError.Truncated, SignedTransaction.TryParse(good.AsSpan(0, good.Length - 1), out _));
        Assert.Equal(TransactionParseError.Truncated, SignedTransaction.TryParse(good.AsSpan(0, 10), out _));
        Assert.Equal(TransactionParseError.TrailingBytes, SignedTransaction.TryParse([.. good, 0], out _));

        var bad = (byte[])good.Clone();
        bad[0] = 2;
        Assert.Equal(TransactionParseError.UnsupportedVersion, SignedTransaction.TryParse(bad, out _));
        bad = (byte[])good.Clone();
        bad[1] = 200;
        Assert.Equal(TransactionParseError.UnknownKind, SignedTransaction.TryParse(bad, out _));
        bad = (byte[])good.Clone();
        bad[3] = 1;
        Assert.Equal(TransactionParseError.ReservedNotZero, SignedTransaction.TryParse(bad, out _));
        bad = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(12), SignedTransaction.MaxBodyLength + 1);
        Assert.Equal(TransactionParseError.BodyTooLarge, SignedTransaction.TryParse(bad, out _));
        bad = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(12), uint.MaxValue);
        Assert.Equal(TransactionParseError.BodyTooLarge, SignedTransaction.TryParse(bad, out _));
    }

    [Fact]
    public void Any_bytes_parse_to_a_verdict_without_throwing()
    {
        var valid = Encode(TransactionKind.Payload, 9, new byte[40]);
        Gen.Select(Gen.Int[0, valid.Length + 8], Gen.Int[0, valid.Length - 1], Gen.Byte).Sample((length, position, value) =>
        {
            var bytes = new byte[length];
            valid.AsSpan(0, Math.Min(length, valid.Length)).CopyTo(bytes);
            if (position < length)
            {
                bytes[position] = value;
            }

            var error = SignedTransaction.TryParse(bytes, out var tx);
            if (error == TransactionParseError.None)
            {
                Assert.Equal(bytes.Length, SignedTransaction.EncodedLength(tx.BodyLength));
            }
        }, iter: 2000);
        Gen.Byte.Array[0, 8000].Sample(bytes => SignedTransaction.TryParse(bytes, out _) >= TransactionParseError.None, iter: 500);
    }

    [Fact]
    public void Writing_refuses_a_wrong_key_size_an_oversized_body_and_a_short_destination()
    {
        var key = new byte[SignedTransaction.PublicKeySize];
        Assert.Throws<ArgumentException>(() => SignedTransaction.WriteUnsigned(new byte[10_000], TransactionKind.Bond, 1, Chain, new byte[5], []));
        Assert.Throws<ArgumentException>(() => SignedTransaction.WriteUnsigned(new byte[200_000], TransactionKind.Payload, 1, Chain, key, new byte[SignedTransaction.MaxBodyLength + 1]));
        Assert.Throws<ArgumentException>(() => SignedTransaction.WriteUnsigned(new byte[100], TransactionKind.Bond, 1, Chain, key, []));
    }
}
