using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>
/// A replicated state machine that interprets some transaction kinds for the
/// <see cref="ValidatorLedger"/> (the agent registry is one). The ledger has already parsed the
/// envelope, checked its chain id, batch-verified its signature with the rest of the block and
/// checked the sender's account nonce (last + 1) when it calls <see cref="Apply"/>; it advances that
/// nonce only when the outcome is <see cref="TransactionVerdict.Applied"/>.
/// <para>
/// Contract, because every validator must end with byte-identical state: <see cref="Apply"/> is
/// deterministic (no clocks, randomness or local configuration — time comes from
/// <see cref="BlockContext"/>), keeps all its state in the ledger's <c>IReplicatedState</c>, and
/// writes nothing when it refuses (the ledger does not roll back). The set of appliers and the kinds
/// they handle are chain rules: every validator of a chain must register the same.
/// </para>
/// </summary>
public interface ITransactionApplier
{
    /// <summary>Whether this applier interprets <paramref name="kind"/>. Asked once per kind when the ledger is built.</summary>
    bool Handles(TransactionKind kind);

    /// <summary>Applies one verified transaction of a committed block.</summary>
    /// <param name="kind">A kind this applier handles.</param>
    /// <param name="sender">SHA3-256 of <paramref name="senderPublicKey"/>.</param>
    /// <param name="senderPublicKey">The ML-DSA-87 key the signature verified under.</param>
    /// <param name="nonce">The sender's account nonce this transaction uses (already checked).</param>
    /// <param name="body">The envelope's body, not yet validated.</param>
    /// <param name="at">The committed block's height and timestamp.</param>
    ApplierOutcome Apply(TransactionKind kind, Hash32 sender, ReadOnlySpan<byte> senderPublicKey, ulong nonce, ReadOnlySpan<byte> body, BlockContext at);
}
