using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation;
using CretoAI.Fast.Reputation.Ledger;

namespace CretoAI.Fast.Routing.Registry;

/// <summary>
/// <see cref="IAgentPolicyQuorum"/> from the <see cref="ValidatorLedger"/> that applies the block: its
/// current epoch's validator set and weights, and the adaptive quorum at the block's height — the same
/// rule that confirms offence reports.
/// </summary>
public sealed class LedgerPolicyQuorum : IAgentPolicyQuorum
{
    private readonly ValidatorLedger _ledger;

    public LedgerPolicyQuorum(ValidatorLedger ledger) => _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));

    public ulong WeightOf(Hash32 validator)
    {
        var set = _ledger.SetForEpoch(_ledger.Epoch);
        var index = set?.IndexOf(validator) ?? -1;
        return index >= 0 ? set!.WeightOf(index) : 0;
    }

    public bool ReachesQuorum(ulong weight, BlockContext at)
    {
        var set = _ledger.SetForEpoch(_ledger.Epoch);
        var level = _ledger.Quorum.TryGetLevelAt(at.Height, out var inForce) ? inForce : ThreatLevel.Normal;
        return set is not null && set.ReachesQuorum(weight, level);
    }
}
