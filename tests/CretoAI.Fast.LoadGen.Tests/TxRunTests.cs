using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.LoadGen.Modes;
using CretoAI.Fast.LoadGen.Tests.Infrastructure;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Node.Tests.Replica;
using CretoAI.Fast.Wire.Client;
using Xunit;

namespace CretoAI.Fast.LoadGen.Tests;

/// <summary>
/// Short real <c>tx</c> runs against four validators in this process (real sockets, storage and
/// consensus): the counts add up, something commits, and every transaction counted as succeeded is
/// in a committed block of the chain. Never how fast: the guard timeouts are generous. They run
/// alone (their four validators would otherwise starve the short-timeout bad-input tests).
/// </summary>
[Collection(TxClusterCollection.Name)]
public sealed partial class TxRunTests : IClassFixture<TxRunTests.ClusterFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    private readonly ClusterFixture _cluster;

    public TxRunTests(ClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public async Task Open_loop_tx_counts_add_up_and_every_success_is_on_the_chain()
    {
        var cluster = await _cluster.GetAsync();
        var plan = LoadGenCommand.BuildPlan("tx", cluster.Targets, connections: 4, depth: 64, payload: 16, duration: 2, warmup: 0.5, rates: "40", chainId: null, connectTimeout: 20, drain: 60);

        using var timeout = new CancellationTokenSource(Generous);
        await using var mode = new TxMode(plan);
        await mode.OpenAsync(timeout.Token);
        var steps = await LoadRunner.RunAsync(plan, mode, _ => { }, timeout.Token);

        var step = Assert.Single(steps);
        Assert.Equal(step.Sent, step.Succeeded + step.Failed);
        Assert.True(step.Succeeded > 0, "some transactions were committed");
        Assert.Equal(step.Succeeded, step.Latency.Count);
        Assert.NotNull(step.ServiceLatency);

        var transactions = mode.LastStep!.Transactions.All.ToList();
        var counted = transactions.Where(t => t.Measured && t.Committed).Select(t => t.Id).ToList();
        Assert.Equal(step.Succeeded, counted.Count);
        Assert.Equal(step.Sent, transactions.Count(t => t.Measured));

        // The chain, read back block by block from the validator whose commit notices were counted
        // (another one may not have applied the last block yet), lists each of them as applied.
        var onChain = await CommittedTransactionsAsync(cluster.Node(0), timeout.Token);
        foreach (var id in counted)
        {
            Assert.True(onChain.TryGetValue(id, out var verdict), $"transaction {id} was counted as committed but no block lists it");
            Assert.True(TransactionVerdicts.IsSuccess(verdict), $"transaction {id} was counted as committed but its verdict is {TransactionVerdicts.Name(verdict)}");
        }
    }

    [Fact]
    public async Task Closed_loop_tx_from_the_command_line_reports_counts_that_add_up()
    {
        var cluster = await _cluster.GetAsync();
        var directory = Cli.TempDirectory();
        string[] targets = [.. cluster.Targets.Split(',').SelectMany(t => new[] { "--target", t })];

        // No warm-up: the closed loop's first transactions are in the window however slow commits
        // are on a loaded machine (with a warm-up longer than a commit, the window could hold none).

        var (code, output, error) = await Cli.RunAsync(
            [
                "--mode", "tx", .. targets, "-c", "2", "-d", "8", "--duration", "2", "--warmup", "0",
                "--transactions", "1000", "--drain", "60", "--quiet", "--out", directory,
            ]);

        Assert.True(code is 0 or 1, $"exit {code}: {error}");
        var result = ResultLine().Match(output);
        Assert.True(result.Success, $"no result line in: {output}{error}");
        var sent = long.Parse(result.Groups["sent"].Value, CultureInfo.InvariantCulture);
        var ok = long.Parse(result.Groups["ok"].Value, CultureInfo.InvariantCulture);
        var failed = long.Parse(result.Groups["failed"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(sent, ok + failed);
        Assert.True(ok > 0, $"some transactions were committed: {output}");
        Assert.Equal(failed == 0 ? 0 : 1, code);
        Assert.Contains("closed loop", await File.ReadAllTextAsync(Path.Combine(directory, "report.md")), StringComparison.Ordinal);
        Assert.Contains("\"mode\": \"tx\"", await File.ReadAllTextAsync(Path.Combine(directory, "result.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tx_with_another_chains_genesis_exits_2()
    {
        var cluster = await _cluster.GetAsync();
        var other = new Node.Chain.ChainGenesis
        {
            ChainName = "another-chain",
            GenesisTimeMs = 1_700_000_000_000,
            EpochLengthBlocks = 100,
            Validators = [new Node.Chain.GenesisValidator("v0", Crypto.Keys.KeyPair.FromSeed(new byte[32]).PublicKey.ToArray(), 100_000, 500_000, 10_000)],
        };
        var genesis = Path.Combine(Cli.TempDirectory(), "genesis.json");
        Node.Chain.GenesisFile.Save(other, genesis);

        var (code, _, error) = await Cli.RunAsync("--mode", "tx", "--target", cluster.Targets.Split(',')[0], "--genesis", genesis, "--quiet", "--connect-timeout", "20");

        Assert.Equal(2, code);
        Assert.Contains("serves another chain", error, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<Hash32, byte>> CommittedTransactionsAsync(IPEndPoint node, CancellationToken cancellationToken)
    {
        using var identity = MLDsa87Signer.Generate();
        await using var client = await NodeClient.ConnectAsync(node, identity, new NodeClientOptions { ConnectTimeout = TimeSpan.FromSeconds(20) }, cancellationToken);
        var height = (await client.StatusAsync(cancellationToken)).Height;
        var committed = new Dictionary<Hash32, byte>();
        for (ulong h = 1; h <= height; h++)
        {
            var block = await client.GetBlockAsync(h, cancellationToken);
            Assert.NotNull(block);
            foreach (var entry in block.Transactions)
            {
                // A transaction can land twice: the mempool offers it again when the round that
                // carried it seemed lost (docs/operations.md), and if that round commits after all
                // the ledger refuses the later copy by its nonce. The first verdict is the transaction's.
                committed.TryAdd(entry.Id, entry.Verdict);
            }
        }

        return committed;
    }

    [GeneratedRegex(@"^result step=1 mode=tx .* sent=(?<sent>\d+) ok=(?<ok>\d+) failed=(?<failed>\d+) ", RegexOptions.Multiline, matchTimeoutMilliseconds: 5000)]
    private static partial Regex ResultLine();

    /// <summary>One 4-validator <see cref="LocalCluster"/> for the class, started on first use and committing.</summary>
    public sealed class ClusterFixture : IAsyncLifetime
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private LocalCluster? _cluster;

        public async Task<ClusterFixture> GetAsync()
        {
            await _gate.WaitAsync();
            try
            {
                if (_cluster is null)
                {
                    var cluster = new LocalCluster(4, Cli.TempDirectory());
                    await cluster.StartAllAsync();
                    await cluster.WaitForHeightAsync(1, TimeSpan.FromMinutes(2));
                    _cluster = cluster;
                }

                return this;
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>Every validator's client endpoint, comma-separated.</summary>
        public string Targets => string.Join(',', Enumerable.Range(0, 4).Select(i => Node(i).ToString()));

        public IPEndPoint Node(int index) => _cluster!.Nodes[index]!.LocalEndPoint!;

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }

            _gate.Dispose();
        }
    }
}

/// <summary>The in-process cluster runs are not run in parallel with other test classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TxClusterCollection
{
    public const string Name = "tx cluster";
}
