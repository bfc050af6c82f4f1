using System.Globalization;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Simulation;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>
/// <c>simulate --seed S --ledger</c>: replays the chain one honest validator committed in the run through
/// a <see cref="ValidatorLedger"/> (every validator opening with 500,000 bonded and 200,000 liquid) and
/// reports per validator what the chain did to it: stake left and slashed, reputation, uptime and the
/// weight computed for the next epoch, plus the threat level and the state hash.
/// </summary>
internal static class SimulationLedgerReport
{
    public const ulong OpeningBond = 500_000;
    public const ulong OpeningLiquid = 200_000;

    /// <summary>Runs <paramref name="options"/> with a commit hook and returns the run and the report lines.</summary>
    public static (SimulationResult Run, IReadOnlyList<string> Lines) Run(SimulationOptions options, ulong epochBlocks, ulong windowBlocks)
    {
        ArgumentNullException.ThrowIfNull(options);
        var chains = new Dictionary<int, List<Block>>();
        var hooked = options with
        {
            OnHonestCommit = (instance, committed) =>
            {
                if (!chains.TryGetValue(instance, out var chain))
                {
                    chains[instance] = chain = [];
                }

                chain.Add(committed.Block);
            },
        };
        var run = Simulator.Run(hooked);
        var longest = chains.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key).FirstOrDefault();
        return (run, Report(options, longest.Key, longest.Value ?? [], epochBlocks, windowBlocks));
    }

    private static IReadOnlyList<string> Report(SimulationOptions options, int instance, List<Block> chain, ulong epochBlocks, ulong windowBlocks)
    {
        var validators = new List<Validator>();
        var genesis = new List<LedgerValidator>();
        for (var i = 0; i < options.Nodes; i++)
        {
            var signer = SimulationKeys.Signer(options.Scheme, i);
            validators.Add(new Validator(signer.NodeId, signer.PublicKey, options.Weights[i]));
            genesis.Add(new LedgerValidator(signer.PublicKey, OpeningLiquid, OpeningBond));
        }

        var rules = LedgerRules.Default with { EpochLengthBlocks = epochBlocks, ParticipationWindowBlocks = windowBlocks };
        var ledger = new ValidatorLedger(new MemoryReplicatedState(), rules, chain.Count > 0 ? chain[0].ChainId : default, new ValidatorSet(0, validators), genesis);
        ledger.InitializeGenesis(0);
        var slashes = 0;
        var replays = 0;
        EpochWeights? last = null;
        foreach (var block in chain)
        {
            var outcome = ledger.Apply(block);
            slashes += outcome.Slashes.Count;
            replays += outcome.EvidenceReplays;
            last = outcome.NextEpoch ?? last;
        }

        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"ledger: the chain committed by validator {instance} ({chain.Count} blocks) applied to a validator ledger (epochs of {epochBlocks} blocks, windows of {windowBlocks}); opening accounts {OpeningBond:N0} bonded, {OpeningLiquid:N0} liquid"),
            "| validator | role | bonded | slashed | reputation | uptime (last epoch) | weight (next epoch) |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
        };
        for (var i = 0; i < options.Nodes; i++)
        {
            var id = ledger.Candidates[i];
            var account = ledger.Stake.GetAccount(id, ledger.TimestampMs);
            var role = options.Byzantine.TryGetValue(i, out var strategy) ? strategy.ToString() : i == options.TwinIndex ? "Twins" : "honest";
            var reputation = ledger.Reputation.ScoreAt(id, ledger.TimestampMs) / 1_000_000.0;
            var uptime = last is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{last.UptimePpm[i] / 10_000.0:F1} %");
            var weight = last is null ? "-" : last.Weights[i].ToString("N0", CultureInfo.InvariantCulture);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"| {i} | {role} | {account.Bonded:N0} | {account.SlashedTotal:N0} | {reputation:F4} | {uptime} | {weight} |"));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"slashes {slashes}, evidence replays ignored {replays}, slash pool {ledger.Stake.SlashPool:N0}, supply {ledger.Stake.TotalSupply:N0}, threat level {ledger.Quorum.DecidedLevel}, epoch {ledger.Epoch}, state hash {ledger.StateDigest.Hash}"));
        return lines;
    }
}
