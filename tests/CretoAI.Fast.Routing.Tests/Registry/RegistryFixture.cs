using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Routing.Tests.Registry;

/// <summary>
/// Four validators and a few agents with real ML-DSA-87 keys, a ledger with the agent registry as
/// its applier, and a builder of the committed chain the ledger applies.
/// </summary>
internal sealed class RegistryFixture
{
    public const ulong GenesisTime = 1_700_000_000_000;

    private static readonly MLDsa87Signer[] ValidatorKeys = CreateKeys("registry-validator", 4);
    private static readonly MLDsa87Signer[] AgentKeys = CreateKeys("registry-agent", 3);

    public RegistryFixture()
    {
        ChainId = Sha3.Hash256("registry-tests"u8);
        Genesis = [.. ValidatorKeys.Select(k => new LedgerValidator(k.PublicKey, Liquid: 200_000, Bonded: 500_000))];
        var weights = ValidatorLedger.GenesisWeights(Genesis, Rules.Weights);
        Set = new ValidatorSet(0, [.. ValidatorKeys.Select((k, i) => new Validator(k.NodeId, k.PublicKey, weights[i]))]);
        Chain = [Block.Genesis(ChainId, 0, GenesisTime)];
    }

    public static LedgerRules Rules { get; } = LedgerRules.Default with { EpochLengthBlocks = 20, ParticipationWindowBlocks = 5, DowntimeWindows = 3 };

    public Hash32 ChainId { get; }

    public LedgerValidator[] Genesis { get; }

    public ValidatorSet Set { get; }

    public List<Block> Chain { get; }

    /// <summary>Agents' signing keys; index 0 is "alice", 1 "bob", 2 "carol" in the tests.</summary>
    public static IReadOnlyList<MLDsa87Signer> Agents => AgentKeys;

    public static IReadOnlyList<MLDsa87Signer> Validators => ValidatorKeys;

    /// <summary>A ledger over <paramref name="state"/> with the agent registry over the same state (or none), at genesis.</summary>
    public (ValidatorLedger Ledger, AgentRegistry Registry) NewLedger(IReplicatedState state, bool withRegistry = true)
    {
        var registry = new AgentRegistry(state);
        var ledger = new ValidatorLedger(state, Rules, ChainId, Set, Genesis, appliers: withRegistry ? [registry] : null);
        ledger.InitializeGenesis(GenesisTime);
        return (ledger, registry);
    }

    /// <summary>Appends the next block, proposed by its round's leader, carrying <paramref name="transactions"/>.</summary>
    public Block Next(params byte[][] transactions)
    {
        var parent = Chain[^1];
        var round = parent.Round + 1;
        var qc = new QuorumCertificate(0, parent.Round, parent.Height, parent.Id, [0b0111], [[1], [2], [3]]);
        var block = new Block(ChainId, 0, round, parent.Height + 1, qc, Set.LeaderOf(round), transactions, [], GenesisTime + ((parent.Height + 1) * 1000));
        Chain.Add(block);
        return block;
    }

    private static MLDsa87Signer[] CreateKeys(string label, int count)
    {
        var keys = new MLDsa87Signer[count];
        Span<byte> seed = stackalloc byte[32];
        for (var i = 0; i < count; i++)
        {
            seed.Clear();
            System.Text.Encoding.ASCII.GetBytes(label, seed);
            BinaryPrimitives.WriteInt32LittleEndian(seed[28..], i);
            keys[i] = new MLDsa87Signer(seed);
        }

        return keys;
    }
}
