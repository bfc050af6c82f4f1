namespace CretoAI.Fast.Node.Chain;

/// <summary>One validator of the genesis set: its ML-DSA-87 public key, opening balances and reputation.</summary>
/// <param name="Name">Operator-facing label (logs, status), not used for identity; hashed into the chain id like every genesis field.</param>
/// <param name="PublicKey">2,592-byte ML-DSA-87 public key; the node id is SHA3-256 of it.</param>
/// <param name="Stake">Bonded stake at genesis, in whole units (unlocked from the start).</param>
/// <param name="ReputationPpm">Starting reputation in parts per million (500,000 = 0.5).</param>
/// <param name="Balance">Liquid (unbonded) balance at genesis, in whole units.</param>
public sealed record GenesisValidator(string Name, ReadOnlyMemory<byte> PublicKey, ulong Stake, uint ReputationPpm = 500_000, ulong Balance = 0);
