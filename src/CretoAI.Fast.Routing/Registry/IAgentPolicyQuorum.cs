using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation;

namespace CretoAI.Fast.Routing.Registry;

/// <summary>
/// Who may vote on agent policy and when the votes suffice: the validator set and quorum rule in force
/// for the block being applied. Deterministic — answers from committed state only (<see cref="LedgerPolicyQuorum"/>).
/// </summary>
public interface IAgentPolicyQuorum
{
    /// <summary>Voting weight of <paramref name="validator"/> in the block's validator set; 0 when it is not a member.</summary>
    ulong WeightOf(Hash32 validator);

    /// <summary>Whether <paramref name="weight"/> reaches the quorum in force at <paramref name="at"/>.</summary>
    bool ReachesQuorum(ulong weight, BlockContext at);
}
