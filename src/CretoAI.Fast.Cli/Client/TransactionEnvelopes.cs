using System.Text;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Cli.Client;

/// <summary>
/// Builds and signs the envelope of each <c>tx submit --kind</c>, and of the load that
/// <c>cluster up</c> offers. Stake kinds use the ledger's own builders (StakeTransactions) so the
/// bytes are exactly what the validator ledger parses.
/// </summary>
internal static class TransactionEnvelopes
{
    /// <summary>Every --kind value, in the spelling the command line takes.</summary>
    public static IReadOnlyList<string> KindNames { get; } = ["payload", "bond", "unbond", "withdraw", "agent-register", "agent-update", "agent-revoke"];

    public static TransactionKindOption ParseKind(string? text) => text switch
    {
        "payload" => TransactionKindOption.Payload,
        "bond" => TransactionKindOption.Bond,
        "unbond" => TransactionKindOption.Unbond,
        "withdraw" => TransactionKindOption.Withdraw,
        "agent-register" => TransactionKindOption.AgentRegister,
        "agent-update" => TransactionKindOption.AgentUpdate,
        "agent-revoke" => TransactionKindOption.AgentRevoke,
        null => throw new InvalidSettingException("--kind", $"is required: one of {string.Join(", ", KindNames)}."),
        _ => throw new InvalidSettingException("--kind", $"'{text}' is not one of {string.Join(", ", KindNames)}."),
    };

    /// <summary>Refuses, as a usage error, a kind this build cannot sign (before any key is read or node is asked).</summary>
    public static void RequireAvailable(TransactionKindOption kind)
    {
        if (kind >= TransactionKindOption.AgentRegister && !AgentTransactionsAvailable)
        {
            throw new InvalidSettingException("--kind", $"'{KindNames[(int)kind]}' needs the agent registry transactions (CretoAI.Fast.Routing), which this build does not include yet; use payload, bond, unbond or withdraw.");
        }
    }

    /// <summary>An application payload: the UTF-8 of <paramref name="data"/>, ordered and committed, not interpreted by the ledger.</summary>
    public static byte[] Payload(IMessageSigner signer, Hash32 chainId, ulong nonce, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (data.Length > SignedTransaction.MaxBodyLength)
        {
            throw new InvalidSettingException("--data", $"is {data.Length} bytes; a transaction body is at most {SignedTransaction.MaxBodyLength}.");
        }

        var bytes = new byte[SignedTransaction.EncodedLength(data.Length)];
        var signed = SignedTransaction.WriteUnsigned(bytes, TransactionKind.Payload, nonce, chainId, signer.PublicKey.Span, data);
        signer.Sign(bytes.AsSpan(0, signed), SignedTransaction.SignatureContext, bytes.AsSpan(signed));
        return bytes;
    }

    /// <summary>The envelope for a <c>tx submit</c> command line's kind and body options.</summary>
    public static byte[] Build(TransactionKindOption kind, IMessageSigner signer, Hash32 chainId, ulong nonce, string? data, ulong? amount, string? name, IReadOnlyList<string> tags)
    {
        switch (kind)
        {
            case TransactionKindOption.Payload:
                return Payload(signer, chainId, nonce, Encoding.UTF8.GetBytes(data ?? string.Empty));
            case TransactionKindOption.Bond:
                return StakeTransactions.Bond(signer, chainId, nonce, RequireAmount(amount));
            case TransactionKindOption.Unbond:
                return StakeTransactions.Unbond(signer, chainId, nonce, RequireAmount(amount));
            case TransactionKindOption.Withdraw:
                return StakeTransactions.Withdraw(signer, chainId, nonce);
            default:
                return AgentTransaction(kind, signer, chainId, nonce, name, tags);
        }
    }

    /// <summary>Agent registry transactions (register, update, revoke), built by the Routing layer's <see cref="AgentTransactions"/>.</summary>
    public static byte[] AgentTransaction(TransactionKindOption kind, IMessageSigner signer, Hash32 chainId, ulong nonce, string? name, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return kind switch
        {
            TransactionKindOption.AgentRegister => AgentTransactions.Register(signer, chainId, nonce, RequireName(name), tags),
            TransactionKindOption.AgentUpdate => AgentTransactions.Update(signer, chainId, nonce, RequireName(name), tags),
            TransactionKindOption.AgentRevoke => AgentTransactions.Revoke(signer, chainId, nonce),
            _ => throw new InvalidSettingException("--kind", $"'{kind}' is not an agent transaction."),
        };
    }

    /// <summary>True when this build can sign agent registrations (the load of <c>cluster up</c> registers its agents only then).</summary>
    public static bool AgentTransactionsAvailable => true;

    private static string RequireName(string? name) =>
        string.IsNullOrEmpty(name) ? throw new InvalidSettingException("--name", "is required for agent-register and agent-update: the agent's display name (1..64 UTF-8 bytes).") : name;

    private static ulong RequireAmount(ulong? amount) =>
        amount is { } value && value > 0 ? value : throw new InvalidSettingException("--amount", "is required for bond and unbond: a whole number of stake units, at least 1.");
}
