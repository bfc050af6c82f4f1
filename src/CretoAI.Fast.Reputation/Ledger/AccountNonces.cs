using System.Buffers.Binary;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Stake;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>
/// The replay-protection nonce of each transaction sender for every kind outside stake (application
/// payloads, agent operations), kept apart from the stake account's own nonce. Same rule as stake:
/// a transaction must carry exactly last + 1 (the first is 1), and a refused transaction does not
/// consume its nonce.
/// <para>
/// Record (<see cref="StateNamespace.AccountNonce"/>, keyed by sender id), 9 bytes little-endian:
/// [0] version = 1; [1..9) the last nonce applied. Absent = 0, written on the first applied transaction.
/// </para>
/// </summary>
internal sealed class AccountNonces(IReplicatedState state)
{
    public const int EncodedSize = 9;

    private const string What = "account nonce";

    /// <summary>The last nonce applied for <paramref name="sender"/>; 0 before the first.</summary>
    public ulong Last(Hash32 sender)
    {
        Span<byte> buffer = stackalloc byte[EncodedSize + 1];
        if (!StakeStateIo.TryRead(state, KeyOf(sender), buffer, What, out var length))
        {
            return 0;
        }

        StakeStateIo.CheckHeader(buffer[..length], EncodedSize, What);
        return BinaryPrimitives.ReadUInt64LittleEndian(buffer[1..]);
    }

    /// <summary>Null when <paramref name="nonce"/> is the next one for <paramref name="last"/>; otherwise why not (the stake rule's words).</summary>
    public static string? Refusal(ulong last, ulong nonce)
    {
        if (last == ulong.MaxValue)
        {
            return "the account has used every nonce";
        }

        return nonce == last + 1 ? null : $"nonce {nonce:N0} is not the next nonce {last + 1:N0}";
    }

    public void Advance(Hash32 sender, ulong nonce)
    {
        Span<byte> record = stackalloc byte[EncodedSize];
        record[0] = StakeStateIo.RecordVersion;
        BinaryPrimitives.WriteUInt64LittleEndian(record[1..], nonce);
        state.Write(KeyOf(sender), record);
    }

    private static StateKey KeyOf(Hash32 sender) => StateKey.For(StateNamespace.AccountNonce, sender);
}
