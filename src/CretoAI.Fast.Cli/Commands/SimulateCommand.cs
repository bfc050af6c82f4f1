using System.CommandLine;
using System.Globalization;
using CretoAI.Fast.Core;
using CretoAI.Fast.Simulation;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>
/// <c>cretoai-fast simulate</c>: runs the deterministic consensus simulator. <c>--seed S</c> replays one
/// scenario exactly (a failing test prints this command); <c>--seeds N</c> sweeps N seeds and prints a
/// summary table per validator count. Exit code 1 when any run breaks an invariant.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var seed = new Option<ulong?>("--seed") { Description = "Run exactly this seed (replays a failure bit for bit)." };
        var seeds = CommonOptions.Positive("--seeds", "How many seeds to sweep when --seed is not given.", 100, 1_000_000);
        var firstSeed = new Option<ulong>("--first-seed") { Description = "First seed of the sweep.", DefaultValueFactory = _ => 1 };
        var nodes = new Option<int?>("--nodes") { Description = "Validator count (1-256); default: 4-10 chosen by the seed." };
        var byzantine = new Option<int?>("--byzantine") { Description = "Byzantine validator count; default: as many as the 67 % quorum allows (at the bound)." };
        var faults = new Option<string?>("--faults") { Description = "Faults before the heal: comma list of drop, delay, duplicate, reorder, partition, crash, or all / none; default: chosen by the seed." };
        var twins = new Option<string?>("--twins") { Description = "on / off: run one Byzantine validator as two honest instances (Twins); default: chosen by the seed." };
        var scheme = new Option<string>("--scheme") { Description = "Signatures: fake (keyed SHA3, fast, forgeable: for volume) or ml-dsa-87 (the real scheme).", DefaultValueFactory = _ => "fake" };
        var verbose = new Option<bool>("--verbose") { Description = "Print one line per run." };
        var ledger = new Option<bool>("--ledger") { Description = "With --seed: replay the committed chain through the validator ledger and print each validator's stake, slashes, reputation, uptime and next-epoch weight (docs/reputation.md)." };
        var epochBlocks = CommonOptions.Positive("--epoch-blocks", "With --ledger: blocks per epoch (a multiple of --window-blocks).", 20, 1_000_000);
        var windowBlocks = CommonOptions.Positive("--window-blocks", "With --ledger: blocks per participation window.", 5, 1_000_000);

        var command = new Command("simulate", "Run the deterministic consensus simulator: faults, partitions, crash-restart, Byzantine strategies, Twins; checks agreement, stable prefixes, certified commits and liveness after the heal.")
        {
            seed, seeds, firstSeed, nodes, byzantine, faults, twins, scheme, verbose, ledger, epochBlocks, windowBlocks,
        };
        command.SetAction((result, cancellationToken) => CommonOptions.GuardAsync(() =>
        {
            FaultMix? mix = null;
            if (result.GetValue(faults) is { } faultText)
            {
                mix = FaultMixParser.TryParse(faultText, out var parsed, out var error) ? parsed : throw new InvalidSettingException("--faults", error);
            }

            bool? twinsOn = result.GetValue(twins)?.ToUpperInvariant() switch
            {
                null => null,
                "ON" or "TRUE" or "YES" => true,
                "OFF" or "FALSE" or "NO" => false,
                _ => throw new InvalidSettingException("--twins", "must be on or off."),
            };
            var signatures = result.GetValue(scheme)?.ToUpperInvariant() switch
            {
                "FAKE" => SignatureScheme.Fake,
                "ML-DSA-87" or "MLDSA87" => SignatureScheme.MLDsa87,
                var other => throw new InvalidSettingException("--scheme", $"must be fake or ml-dsa-87 (got '{other}')."),
            };
            var nodeCount = result.GetValue(nodes);
            if (nodeCount is < 1 or > 256)
            {
                throw new InvalidSettingException("--nodes", $"must be between 1 and 256 (got {nodeCount}).");
            }

            var byzantineCount = result.GetValue(byzantine);
            if (byzantineCount is < 0)
            {
                throw new InvalidSettingException("--byzantine", "must not be negative.");
            }

            SimulationOptions Scenario(ulong s)
            {
                try
                {
                    return ScenarioGenerator.FromSeed(s, nodeCount, byzantineCount, mix, twinsOn, signatures);
                }
                catch (ArgumentOutOfRangeException ex)
                {
                    throw new InvalidSettingException("--byzantine", ex.Message.Split(" (Parameter", 2)[0], ex);
                }
            }

            if (result.GetValue(ledger) && result.GetValue(seed) is null)
            {
                throw new InvalidSettingException("--ledger", "needs --seed: it reports on one run.");
            }

            if (result.GetValue(seed) is { } single)
            {
                SimulationResult run;
                if (result.GetValue(ledger))
                {
                    var (epoch, window) = ((ulong)result.GetValue(epochBlocks), (ulong)result.GetValue(windowBlocks));
                    if (epoch % window != 0)
                    {
                        throw new InvalidSettingException("--epoch-blocks", $"{epoch} is not a multiple of --window-blocks {window}.");
                    }

                    (run, var lines) = SimulationLedgerReport.Run(Scenario(single), epoch, window);
                    foreach (var line in lines)
                    {
                        Console.WriteLine(line);
                    }
                }
                else
                {
                    run = Simulator.Run(Scenario(single));
                }

                Console.WriteLine(run.ToString());
                Console.WriteLine($"  events {run.Events}, messages {run.MessagesDelivered}, virtual time {run.VirtualTime} ms, commit latency {run.CommitLatencyRounds:F2} rounds");
                return Task.FromResult(run.Passed ? 0 : 1);
            }

            var summary = new SortedDictionary<int, SweepRow>();
            var failures = new List<SimulationResult>();
            var count = result.GetValue(seeds);
            var first = result.GetValue(firstSeed);
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var run = Simulator.Run(Scenario(first + (ulong)i));
                if (result.GetValue(verbose))
                {
                    Console.WriteLine(run.ToString());
                }

                if (!summary.TryGetValue(run.Options.Nodes, out var row))
                {
                    row = new SweepRow();
                    summary[run.Options.Nodes] = row;
                }

                row.Add(run);
                if (!run.Passed)
                {
                    failures.Add(run);
                }
            }

            PrintTable(summary);
            foreach (var failure in failures)
            {
                Console.WriteLine(failure.ToString());
            }

            Console.WriteLine($"{count - failures.Count} passed, {failures.Count} failed");
            return Task.FromResult(failures.Count == 0 ? 0 : 1);
        }));
        return command;
    }

    private static void PrintTable(SortedDictionary<int, SweepRow> summary)
    {
        Console.WriteLine("| nodes | runs | passed | failed | byzantine (avg) | twins | min height (avg) | rounds to recover (avg) | commit latency (rounds) | evidence |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var total = new SweepRow();
        foreach (var (nodes, row) in summary)
        {
            Console.WriteLine(row.Format(nodes.ToString(CultureInfo.InvariantCulture)));
            total.Merge(row);
        }

        Console.WriteLine(total.Format("all"));
    }

    private sealed class SweepRow
    {
        private long _runs;
        private long _passed;
        private long _byzantine;
        private long _twins;
        private double _height;
        private double _recover;
        private double _latency;
        private long _evidence;

        public void Add(SimulationResult run)
        {
            _runs++;
            _passed += run.Passed ? 1 : 0;
            _byzantine += run.Options.Byzantine.Count + (run.Options.TwinIndex >= 0 ? 1 : 0);
            _twins += run.Options.TwinIndex >= 0 ? 1 : 0;
            _height += run.MinHonestHeight;
            _recover += run.RoundsToRecover;
            _latency += run.CommitLatencyRounds;
            _evidence += run.EvidenceFound;
        }

        public void Merge(SweepRow other)
        {
            _runs += other._runs;
            _passed += other._passed;
            _byzantine += other._byzantine;
            _twins += other._twins;
            _height += other._height;
            _recover += other._recover;
            _latency += other._latency;
            _evidence += other._evidence;
        }

        public string Format(string label) => _runs == 0 ? $"| {label} | 0 | | | | | | | | |" :
            $"| {label} | {_runs} | {_passed} | {_runs - _passed} | {(double)_byzantine / _runs:F1} | {_twins} | {_height / _runs:F1} | {_recover / _runs:F1} | {_latency / _runs:F2} | {_evidence} |";
    }
}
