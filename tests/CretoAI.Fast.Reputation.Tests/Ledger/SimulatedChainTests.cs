using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Simulation;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Tests.Ledger;

/// <summary>The ledger driven by chains the consensus engine really committed in the deterministic simulator.</summary>
public sealed class SimulatedChainTests
{
    private const int Equivocator = 3;

    private static readonly LedgerRules Rules = LedgerRules.Default with { EpochLengthBlocks = 20, ParticipationWindowBlocks = 5, DowntimeWindows = 4 };

    [Fact]
    public void An_equivocating_validator_is_slashed_loses_reputation_and_weight_and_the_threat_level_rises()
    {
        // The first seeds whose run committed the equivocator's evidence; a run proves nothing if none does.
        for (ulong seed = 1; seed <= 12; seed++)
        {
            var commits = Run(seed, out var options);
            var chain = commits[0];
            if (!chain.Any(b => b.Evidence.Count > 0))
            {
                continue;
            }

            var (ledger, outcomes) = Replay(options, chain);
            var evidenceBlock = outcomes.First(o => o.Slashes.Any(s => s.Offence == Offence.Equivocation));
            var equivocator = ledger.Candidates[Equivocator];

            // Slashed: 30 % of the bonded stake went to the pool, once.
            var slash = evidenceBlock.Slashes.First(s => s.Offence == Offence.Equivocation);
            Assert.Equal(equivocator, slash.Validator);
            Assert.Equal(150_000UL, slash.Amount);
            Assert.True(ledger.Stake.BondedStake(equivocator) <= 350_000UL);
            Assert.Equal(7 * 700_000UL, ledger.Stake.TotalSupply);
            Assert.Equal(7 * 700_000UL, ledger.Stake.SlashPool + Enumerable.Range(0, 7).Aggregate(0UL, (sum, i) => sum + Holdings(ledger, i)));

            // Lower reputation than every honest validator.
            for (var i = 0; i < 7; i++)
            {
                if (i == Equivocator)
                {
                    continue;
                }

                Assert.True(
                    ledger.Reputation.ScoreAt(equivocator, ledger.TimestampMs) < ledger.Reputation.ScoreAt(ledger.Candidates[i], ledger.TimestampMs),
                    $"seed {seed}: the equivocator's reputation should be below validator {i}'s");
            }

            Assert.Contains(ledger.Reputation.History(equivocator), e => e.Offence == Offence.Equivocation);

            // The threat level: one of seven validators detected is 14.3 %: at least 5 %, below 15 %,
            // so Elevated (75 %) from the evidence block's height + the activation delay.
            Assert.Equal(1, evidenceBlock.Threat.DistinctByzantine);
            Assert.Equal(ThreatLevel.Elevated, evidenceBlock.Threat.Decided);
            Assert.Equal(ThreatLevel.Normal, ledger.Quorum.LevelAt(evidenceBlock.Height));
            Assert.Equal(ThreatLevel.Elevated, ledger.Quorum.LevelAt(evidenceBlock.Height + Rules.Quorum.ActivationDelay));

            // Lower weight from the next epoch after the evidence.
            var nextEpoch = outcomes.FirstOrDefault(o => o.NextEpoch is not null && o.Height >= evidenceBlock.Height)?.NextEpoch;
            Assert.True(nextEpoch is not null, $"seed {seed}: the run committed {chain.Count} blocks, no epoch boundary after the evidence at {evidenceBlock.Height}");
            var before = ledger.WeightsOf(nextEpoch!.Epoch - 1)!;
            Assert.True(nextEpoch.Weights[Equivocator] < before.Weights[Equivocator], $"seed {seed}: weight {nextEpoch.Weights[Equivocator]} not below {before.Weights[Equivocator]}");
            for (var i = 0; i < 7; i++)
            {
                Assert.True(i == Equivocator || nextEpoch.Weights[Equivocator] < nextEpoch.Weights[i]);
            }

            // Another honest replica that committed the same prefix holds the same state.
            var other = commits[1];
            var common = Math.Min(chain.Count, other.Count);
            var (a, _) = Replay(options, chain.Take(common).ToList());
            var (b, _) = Replay(options, other.Take(common).ToList());
            Assert.Equal(a.StateDigest, b.StateDigest);
            return;
        }

        Assert.Fail("No seed in 1..12 committed equivocation evidence.");
    }

    private static ulong Holdings(ValidatorLedger ledger, int i)
    {
        var account = ledger.Stake.GetAccount(ledger.Candidates[i], ledger.TimestampMs);
        return account.Liquid + account.Bonded + account.Unbonding;
    }

    private static Dictionary<int, List<Block>> Run(ulong seed, out SimulationOptions options)
    {
        var commits = Enumerable.Range(0, 8).ToDictionary(i => i, _ => new List<Block>());
        options = new SimulationOptions
        {
            Seed = seed,
            Weights = [100, 100, 100, 100, 100, 100, 100],
            Byzantine = new Dictionary<int, ByzantineStrategy> { [Equivocator] = ByzantineStrategy.DoubleVoting },
            DropPerMille = 0,
            DuplicatePerMille = 0,
            FaultPhase = 20_000,
            OnHonestCommit = (instance, committed) => commits[instance].Add(committed.Block),
        };
        var result = Simulator.Run(options);
        Assert.True(result.Passed, result.ToString());
        return commits;
    }

    private static (ValidatorLedger Ledger, List<BlockOutcome> Outcomes) Replay(SimulationOptions options, List<Block> chain)
    {
        var validators = new List<Validator>();
        var genesis = new List<LedgerValidator>();
        for (var i = 0; i < options.Nodes; i++)
        {
            var signer = SimulationKeys.Signer(options.Scheme, i);
            validators.Add(new Validator(signer.NodeId, signer.PublicKey, options.Weights[i]));
            genesis.Add(new LedgerValidator(signer.PublicKey, Liquid: 200_000, Bonded: 500_000));
        }

        var ledger = new ValidatorLedger(new MemoryReplicatedState(), Rules, chain.Count > 0 ? chain[0].ChainId : default, new ValidatorSet(0, validators), genesis);
        ledger.InitializeGenesis(0);
        var outcomes = chain.Select(b => ledger.Apply(b)).ToList();
        return (ledger, outcomes);
    }
}
