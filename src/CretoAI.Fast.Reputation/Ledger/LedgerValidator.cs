namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>A genesis validator as the ledger sees it: its key and its opening balances and reputation.</summary>
/// <param name="PublicKey">ML-DSA-87 public key; the validator id is SHA3-256 of it.</param>
/// <param name="Liquid">Unbonded balance at genesis.</param>
/// <param name="Bonded">Bonded stake at genesis (not locked).</param>
/// <param name="ReputationPpm">Opening reputation (500,000 = 0.5).</param>
public sealed record LedgerValidator(ReadOnlyMemory<byte> PublicKey, ulong Liquid, ulong Bonded, uint ReputationPpm = 500_000);
