using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>Builds signed bond, unbond, withdraw and report transactions in the <see cref="SignedTransaction"/> envelope.</summary>
public static class StakeTransactions
{
    public static byte[] Bond(IMessageSigner signer, Hash32 chainId, ulong nonce, ulong amount) => Create(signer, chainId, TransactionKind.Bond, nonce, amount);

    public static byte[] Unbond(IMessageSigner signer, Hash32 chainId, ulong nonce, ulong amount) => Create(signer, chainId, TransactionKind.Unbond, nonce, amount);

    public static byte[] Withdraw(IMessageSigner signer, Hash32 chainId, ulong nonce) => Create(signer, chainId, TransactionKind.Withdraw, nonce, null);

    /// <summary>A report, by the signing validator, of an offence signed evidence cannot prove.</summary>
    public static byte[] Report(IMessageSigner signer, Hash32 chainId, Hash32 offender, Offence offence, ulong offenceHeight)
    {
        ArgumentNullException.ThrowIfNull(signer);
        Span<byte> body = stackalloc byte[Hash32.Size + 1 + 8];
        offender.CopyTo(body);
        body[Hash32.Size] = (byte)offence;
        BinaryPrimitives.WriteUInt64LittleEndian(body[(Hash32.Size + 1)..], offenceHeight);
        return Sign(signer, chainId, TransactionKind.Report, 0, body);
    }

    private static byte[] Create(IMessageSigner signer, Hash32 chainId, TransactionKind kind, ulong nonce, ulong? amount)
    {
        ArgumentNullException.ThrowIfNull(signer);
        Span<byte> body = stackalloc byte[amount is null ? 0 : 8];
        if (amount is { } value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(body, value);
        }

        return Sign(signer, chainId, kind, nonce, body);
    }

    private static byte[] Sign(IMessageSigner signer, Hash32 chainId, TransactionKind kind, ulong nonce, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[SignedTransaction.EncodedLength(body.Length)];
        var signed = SignedTransaction.WriteUnsigned(bytes, kind, nonce, chainId, signer.PublicKey.Span, body);
        signer.Sign(bytes.AsSpan(0, signed), SignedTransaction.SignatureContext, bytes.AsSpan(signed));
        return bytes;
    }
}
