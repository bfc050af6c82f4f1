using CretoAI.Fast.Consensus.Weights;

namespace CretoAI.Fast.Consensus.Validators;

/// <summary>
/// Which quorum level is in force at a block height. Must be a pure function of committed state so
/// every honest node answers the same for the same height (the adaptive state machine lives with
/// the weight computation; consensus only asks).
/// </summary>
public interface IThreatLevelProvider
{
    ThreatLevel LevelAt(ulong height);
}
