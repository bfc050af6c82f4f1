using CretoAI.Fast.Core;

namespace CretoAI.Fast.Reputation.Stake;

/// <summary>A stake account of the genesis configuration.</summary>
/// <param name="Validator">SHA3-256 of the validator's ML-DSA-87 public key.</param>
/// <param name="Liquid">Free units.</param>
/// <param name="Bonded">Bonded units, unlocked from the start: 0 or within <see cref="StakeRules.MinimumBond"/>..<see cref="StakeRules.MaximumBond"/>.</param>
public readonly record struct GenesisStake(Hash32 Validator, ulong Liquid, ulong Bonded);
