using System.Buffers.Binary;
using CretoAI.Fast.Consensus.Evidence;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Tests.Ledger;

/// <summary>Four validators with real ML-DSA-87 keys, their genesis and a builder of committed chains.</summary>
internal sealed class LedgerFixture
{
    public const ulong GenesisTime = 1_700_000_000_000;
    public const ulong BlockMs = 1000;

    private static readonly MLDsa87Signer[] AllKeys = CreateKeys(7);

    private readonly MLDsa87Signer[] _keys;

    /// <param name="rules">Ledger rules; short epochs and windows by default.</param>
    /// <param name="validators">4 by default; at least 7 for weights to differ (below 7 the 15 % cap makes every weight T/n).</param>
    public LedgerFixture(LedgerRules? rules = null, int validators = 4)
    {
        _keys = AllKeys[..validators];
        Rules = rules ?? LedgerRules.Default with { EpochLengthBlocks = 20, ParticipationWindowBlocks = 5, DowntimeWindows = 3 };
        ChainId = Sha3.Hash256("ledger-tests"u8);
        Genesis = [.. _keys.Select(k => new LedgerValidator(k.PublicKey, Liquid: 200_000, Bonded: 500_000))];
        var weights = ValidatorLedger.GenesisWeights(Genesis, Rules.Weights);
        Set = new ValidatorSet(0, [.. _keys.Select((k, i) => new Validator(k.NodeId, k.PublicKey, weights[i]))]);
        Chain = [Block.Genesis(ChainId, 0, GenesisTime)];
    }

    public LedgerRules Rules { get; }

    public Hash32 ChainId { get; }

    public IReadOnlyList<MLDsa87Signer> Keys => _keys;

    public LedgerValidator[] Genesis { get; }

    public ValidatorSet Set { get; }

    public List<Block> Chain { get; }

    public Hash32 Id(int i) => _keys[i].NodeId;

    public ValidatorLedger NewLedger(IReplicatedState state)
    {
        var ledger = new ValidatorLedger(state, Rules, ChainId, Set, Genesis);
        if (!ledger.IsInitialized)
        {
            ledger.InitializeGenesis(GenesisTime);
        }

        return ledger;
    }

    /// <summary>Appends a block: the leader of its round proposes, <paramref name="signers"/> sign the parent's certificate.</summary>
    public Block Next(int[] signers, byte[][]? transactions = null, EquivocationEvidence[]? evidence = null, ulong roundGap = 0)
    {
        var parent = Chain[^1];
        var round = parent.Round + 1 + roundGap;
        var bitmap = new ulong[Set.BitmapWords];
        foreach (var s in signers)
        {
            bitmap[s / 64] |= 1UL << (s % 64);
        }

        var qc = new QuorumCertificate(0, parent.Round, parent.Height, parent.Id, bitmap, [.. signers.Select(_ => new byte[] { 1 })]);
        var block = new Block(ChainId, 0, round, parent.Height + 1, qc, Set.LeaderOf(round), transactions ?? [], evidence ?? [], GenesisTime + ((parent.Height + 1 + roundGap) * BlockMs));
        Chain.Add(block);
        return block;
    }

    /// <summary>A double vote by <paramref name="validator"/> in <paramref name="round"/> (the ledger trusts committed evidence; signatures are placeholders).</summary>
    public static EquivocationEvidence DoubleVote(int validator, ulong round) => new(
        SignedKind.Vote, 0, round, validator,
        new SignedStatement(round, Sha3.Hash256([1, (byte)round]), [1]),
        new SignedStatement(round, Sha3.Hash256([2, (byte)round]), [2]));

    private static MLDsa87Signer[] CreateKeys(int count)
    {
        var keys = new MLDsa87Signer[count];
        Span<byte> seed = stackalloc byte[32];
        for (var i = 0; i < count; i++)
        {
            seed.Clear();
            "ledger-test-validator"u8.CopyTo(seed);
            BinaryPrimitives.WriteInt32LittleEndian(seed[28..], i);
            keys[i] = new MLDsa87Signer(seed);
        }

        return keys;
    }
}
