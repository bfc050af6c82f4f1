using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Simulation;

/// <summary>
/// One simulated process: a consensus engine plus what its "disk" holds (the last persisted safety
/// state, the committed chain and the blocks it persisted before voting or proposing). A crash throws the engine away; a restart builds a new one from the
/// disk alone. Twins are two nodes with the same validator index and key.
/// </summary>
internal sealed class SimulatedNode
{
    public SimulatedNode(int instance, int validatorIndex, IConsensusSigner signer, ByzantineStrategy? strategy, bool isTwin)
    {
        Instance = instance;
        ValidatorIndex = validatorIndex;
        Signer = signer;
        Strategy = strategy;
        IsTwin = isTwin;
    }

    public int Instance { get; }

    public int ValidatorIndex { get; }

    public IConsensusSigner Signer { get; }

    public ByzantineStrategy? Strategy { get; }

    public bool IsTwin { get; }

    /// <summary>Honest nodes are the ones the invariants are about.</summary>
    public bool IsHonest => Strategy is null && !IsTwin;

    public ConsensusEngine? Engine { get; set; }

    public bool Alive => Engine is not null;

    public SafetyState? PersistedSafety { get; set; }

    public Block? PersistedTip { get; set; }

    /// <summary>Virtual time of this node's last replay burst (the Replay strategy is bandwidth-limited).</summary>
    public long LastReplayAt { get; set; } = -ByzantineBehavior.ReplaySpacing;

    /// <summary>Blocks on disk: the ones the engine asked to persist (voted for, proposed) and the committed chain.</summary>
    public Dictionary<Hash32, Block> PersistedBlocks { get; } = [];

    /// <summary>Only the latest timer counts; older timer events carry a smaller generation and are ignored.</summary>
    public long TimerGeneration { get; set; }

    public List<ConsensusOutput> Outputs { get; } = [];

    /// <summary>Messages this node received, kept for the replay strategy (bounded).</summary>
    public List<ConsensusMessage> Heard { get; } = [];

    /// <summary>QCs this node has seen in proposals, oldest first, for the forking strategy.</summary>
    public List<QuorumCertificate> SeenQcs { get; } = [];

    public ulong CommittedHeight => PersistedTip?.Height ?? 0;
}
