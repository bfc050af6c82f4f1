using System.Text.Json;
using CretoAI.Fast.Cli.Tests.Infrastructure;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

/// <summary>
/// <c>status</c>, <c>block</c> and <c>tx submit</c> through the parsed command line against a real
/// FrameServer serving the client protocol from a fake node: output shapes and exit codes.
/// </summary>
public sealed class ClientCommandTests : IDisposable
{
    private static readonly string[] StatusKeys =
    [
        "height", "block_hash", "state_hash", "round", "epoch", "node_id", "chain_id", "validator_index", "connected_validators",
        "mempool_transactions", "mempool_bytes", "catching_up", "committed_transactions", "threat_level",
    ];

    private static readonly string[] BlockKeys = ["height", "block_hash", "state_hash", "round", "timestamp_ms", "proposer", "transaction_count", "transactions"];

    private readonly string _directory = Directory.CreateTempSubdirectory("cretoai-client-cli-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    [Fact]
    public async Task Status_json_is_one_object_with_every_key()
    {
        await using var server = FakeNodeServer.Start();
        server.Node.Commit(new TransactionResultEntry(Hash32.Parse(new string('e', 64)), TransactionVerdicts.Applied, null));
        server.Node.MempoolTransactions = 3;

        var (exit, output, error) = await CliRun.RunAsync("status", "--node", server.Address, "--json");

        Assert.True(exit == 0, error);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(StatusKeys.Order(StringComparer.Ordinal), root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var status = server.Node.Status();
        Assert.Equal(1UL, root.GetProperty("height").GetUInt64());
        Assert.Equal(status.BlockHash.ToString(), root.GetProperty("block_hash").GetString());
        Assert.Equal(status.StateHash.ToString(), root.GetProperty("state_hash").GetString());
        Assert.Equal(FakeNodeServer.ChainId.ToString(), root.GetProperty("chain_id").GetString());
        Assert.Equal(server.Node.NodeId.ToString(), root.GetProperty("node_id").GetString());
        Assert.Equal(3, root.GetProperty("mempool_transactions").GetInt32());
        Assert.Equal(24_000, root.GetProperty("mempool_bytes").GetInt64());
        Assert.False(root.GetProperty("catching_up").GetBoolean());
        Assert.Equal(1UL, root.GetProperty("committed_transactions").GetUInt64());
        Assert.Equal(0, root.GetProperty("threat_level").GetInt32());
        Assert.Equal(0, root.GetProperty("validator_index").GetInt32());
    }

    [Fact]
    public async Task Status_text_names_each_field()
    {
        await using var server = FakeNodeServer.Start();
        var (exit, output, _) = await CliRun.RunAsync("status", "--node", server.Address);
        Assert.Equal(0, exit);
        foreach (var field in new[] { "height", "block hash", "state hash", "round", "epoch", "validator links", "mempool", "catching up", "threat level" })
        {
            Assert.Contains(field, output, StringComparison.Ordinal);
        }

        Assert.Contains(FakeNodeServer.ChainId.ToString(), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_node_is_exit_one_with_the_reason()
    {
        var port = FakeNodeServer.ClosedPort();
        foreach (var command in new[] { new[] { "status" }, ["block", "--height", "1"] })
        {
            var (exit, _, error) = await CliRun.RunAsync([.. command, "--node", $"127.0.0.1:{port}"]);
            Assert.Equal(1, exit);
            Assert.Contains($"cannot connect to 127.0.0.1:{port}: connection refused", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_node_that_does_not_serve_the_client_protocol_is_exit_one_saying_so()
    {
        // The transport alone (ping only), as 'node run --listen' served before the daemon.
        var key = BouncyCastleMLDsa87.CreateSigner(new byte[32]);
        await using var bare = new Net.FrameServer(new Net.TransportOptions { ChainId = FakeNodeServer.ChainId }, key, MLDsa87SignatureVerifier.Instance);
        var endpoint = bare.Start(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var (exit, _, error) = await CliRun.RunAsync("status", "--node", $"127.0.0.1:{endpoint.Port}");
        Assert.Equal(1, exit);
        Assert.Contains("does not serve the client protocol", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_chain_id_the_node_does_not_serve_is_exit_one()
    {
        await using var server = FakeNodeServer.Start();
        var (exit, _, error) = await CliRun.RunAsync("status", "--node", server.Address, "--chain-id", new string('7', 64));
        Assert.Equal(1, exit);
        Assert.Contains("serves another chain", error, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRun.RunAsync("status", "--node", server.Address, "--chain-id", FakeNodeServer.ChainId.ToString())).Exit);
    }

    [Fact]
    public async Task A_genesis_file_pins_its_chain()
    {
        await using var server = FakeNodeServer.Start();
        var testnet = Path.Combine(_directory, "testnet");
        var genesis = Commands.TestnetCommand.Init(new Commands.TestnetLayout(1, testnet, 7400, "another-chain", 1_700_000_000_000), force: false);
        var genesisPath = Path.Combine(testnet, "node0", "genesis.json");
        Assert.Equal(genesis.ChainId, Client.ChainIdResolver.FromGenesis(genesisPath));

        var (exit, _, error) = await CliRun.RunAsync("status", "--node", server.Address, "--genesis", genesisPath);
        Assert.Equal(1, exit);
        Assert.Contains("serves another chain", error, StringComparison.Ordinal);

        var (missing, _, missingError) = await CliRun.RunAsync("status", "--node", server.Address, "--genesis", Path.Combine(_directory, "none.json"));
        Assert.Equal(2, missing);
        Assert.Contains("--genesis", missingError, StringComparison.Ordinal);

        var (both, _, _) = await CliRun.RunAsync("status", "--node", server.Address, "--genesis", genesisPath, "--chain-id", FakeNodeServer.ChainId.ToString());
        Assert.Equal(2, both);
    }

    [Theory]
    [InlineData("status", "--node", "nohost")]
    [InlineData("status", "--node", "127.0.0.1:0")]
    [InlineData("status", "--timeout", "0")]
    [InlineData("status", "--chain-id", "abc")]
    [InlineData("status", "--bogus")]
    [InlineData("block")]
    [InlineData("block", "--height", "0")]
    [InlineData("block", "--height", "-1")]
    [InlineData("block", "--height", "x")]
    [InlineData("tx")]
    [InlineData("tx", "submit", "--kind", "nonsense", "--nonce", "1")]
    [InlineData("tx", "submit", "--kind", "payload", "--nonce", "1")]
    [InlineData("tx", "submit", "--kind", "agent-register", "--nonce", "1")]
    public async Task Bad_input_is_exit_two_with_a_message(params string[] args)
    {
        var (exit, _, error) = await CliRun.RunAsync(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Block_json_lists_transactions_with_verdict_names()
    {
        await using var server = FakeNodeServer.Start();
        var applied = Hash32.Parse(new string('a', 64));
        var rejected = Hash32.Parse(new string('b', 64));
        var block = server.Node.Commit(
            new TransactionResultEntry(applied, TransactionVerdicts.Applied, null),
            new TransactionResultEntry(rejected, TransactionVerdicts.Rejected, "nonce 7 is not the next nonce (expected 3)"));

        var (exit, output, error) = await CliRun.RunAsync("block", "--node", server.Address, "--height", "1", "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var root = json.RootElement;
        Assert.Equal(BlockKeys.Order(StringComparer.Ordinal), root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1UL, root.GetProperty("height").GetUInt64());
        Assert.Equal(block.BlockHash.ToString(), root.GetProperty("block_hash").GetString());
        Assert.Equal(block.StateHash.ToString(), root.GetProperty("state_hash").GetString());
        Assert.Equal(block.Round, root.GetProperty("round").GetUInt64());
        Assert.Equal(block.TimestampMs, root.GetProperty("timestamp_ms").GetUInt64());
        Assert.Equal(block.ProposerIndex, root.GetProperty("proposer").GetInt32());
        Assert.Equal(2, root.GetProperty("transaction_count").GetInt32());
        var transactions = root.GetProperty("transactions").EnumerateArray().ToArray();
        Assert.Equal(2, transactions.Length);
        Assert.Equal(applied.ToString(), transactions[0].GetProperty("id").GetString());
        Assert.Equal("applied", transactions[0].GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, transactions[0].GetProperty("reason").ValueKind);
        Assert.Equal("rejected", transactions[1].GetProperty("verdict").GetString());
        Assert.Equal("nonce 7 is not the next nonce (expected 3)", transactions[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Block_text_shows_each_transaction()
    {
        await using var server = FakeNodeServer.Start();
        server.Node.Commit(new TransactionResultEntry(Hash32.Parse(new string('c', 64)), TransactionVerdicts.BadSignature, "signature does not verify"));
        var (exit, output, _) = await CliRun.RunAsync("block", "--node", server.Address, "--height", "1");
        Assert.Equal(0, exit);
        Assert.Contains($"{new string('c', 64)}  bad_signature: signature does not verify", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_block_not_committed_yet_is_exit_one_with_the_node_height()
    {
        await using var server = FakeNodeServer.Start();
        server.Node.Commit();
        server.Node.Commit();
        var (exit, output, error) = await CliRun.RunAsync("block", "--node", server.Address, "--height", "9", "--json");
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("block 9 not committed yet (node height is 2)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_signs_a_payload_for_the_nodes_chain_and_prints_its_id()
    {
        await using var server = FakeNodeServer.Start();
        using var key = WriteKey(out var keyPath);

        var (exit, output, error) = await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "payload", "--nonce", "5", "--data", "hello agents");

        Assert.True(exit == 0, error);
        Assert.True(server.Node.Submitted.TryDequeue(out var envelope));
        var id = TransactionIds.Of(envelope);
        Assert.Contains($"tx {id} nonce 5: accepted", output, StringComparison.Ordinal);
        Assert.Equal(TransactionParseError.None, SignedTransaction.TryParse(envelope, out var parsed));
        Assert.Equal(TransactionKind.Payload, parsed.Kind);
        Assert.Equal(5UL, parsed.Nonce);
        Assert.Equal(FakeNodeServer.ChainId, parsed.ChainId);
        Assert.Equal("hello agents"u8.ToArray(), parsed.Body.ToArray());
        Assert.True(parsed.PublicKey.SequenceEqual(key.PublicKey.Span));
        Assert.True(MLDsa87SignatureVerifier.Instance.Verify(parsed.PublicKey, parsed.SignedBytes, SignedTransaction.SignatureContext, parsed.Signature));
    }

    [Fact]
    public async Task Submit_bond_builds_the_ledgers_own_envelope()
    {
        await using var server = FakeNodeServer.Start();
        using var key = WriteKey(out var keyPath);
        var (exit, _, error) = await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "bond", "--nonce", "1", "--amount", "250");
        Assert.True(exit == 0, error);
        Assert.True(server.Node.Submitted.TryDequeue(out var envelope));
        Assert.Equal(TransactionParseError.None, SignedTransaction.TryParse(envelope, out var parsed));
        Assert.Equal(TransactionKind.Bond, parsed.Kind);
        Assert.Equal(250UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(parsed.Body));

        var (noAmount, _, noAmountError) = await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "unbond", "--nonce", "2");
        Assert.Equal(2, noAmount);
        Assert.Contains("--amount", noAmountError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_agent_kinds_build_the_registrys_envelopes()
    {
        await using var server = FakeNodeServer.Start();
        using var key = WriteKey(out var keyPath);
        Assert.Equal(0, (await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "agent-register", "--nonce", "1", "--name", "summariser", "--tags", "text, summarise")).Exit);
        Assert.Equal(0, (await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "agent-update", "--nonce", "2", "--name", "summariser-2")).Exit);
        Assert.Equal(0, (await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "agent-revoke", "--nonce", "3")).Exit);

        var kinds = server.Node.Submitted.Select(e =>
        {
            Assert.Equal(TransactionParseError.None, SignedTransaction.TryParse(e, out var tx));
            return (tx.Kind, tx.Nonce);
        }).ToArray();
        Assert.Equal([(TransactionKind.AgentRegister, 1UL), (TransactionKind.AgentUpdate, 2UL), (TransactionKind.AgentRevoke, 3UL)], kinds);
        Assert.True(server.Node.Submitted.TryPeek(out var register));
        Assert.Equal(Routing.Registry.AgentTransactions.ProfileBody("summariser", ["text", "summarise"]), SignedTransaction.TryParse(register, out var parsed) == TransactionParseError.None ? parsed.Body.ToArray() : []);
    }

    [Fact]
    public async Task Submit_wait_prints_the_commit_height_and_verdict()
    {
        await using var server = FakeNodeServer.Start();
        server.Node.Commit();
        server.Node.CommitSubmissions = true;
        server.Node.VerdictFor = _ => (TransactionVerdicts.NotInterpreted, null);
        using var key = WriteKey(out var keyPath);

        var (exit, output, error) = await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "payload", "--nonce", "1", "--wait");

        Assert.True(exit == 0, error);
        Assert.Contains("committed at height 2", output, StringComparison.Ordinal);
        Assert.Contains("not_interpreted", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_wait_json_is_one_object_with_the_commit()
    {
        await using var server = FakeNodeServer.Start();
        server.Node.CommitSubmissions = true;
        using var key = WriteKey(out var keyPath);

        var (exit, output, error) = await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "withdraw", "--nonce", "3", "--wait", "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var root = json.RootElement;
        Assert.True(server.Node.Submitted.TryDequeue(out var envelope));
        Assert.Equal(TransactionIds.Of(envelope).ToString(), root.GetProperty("id").GetString());
        Assert.Equal("accepted", root.GetProperty("status").GetString());
        Assert.Equal(3UL, root.GetProperty("nonce").GetUInt64());
        Assert.Equal(1UL, root.GetProperty("height").GetUInt64());
        Assert.Equal("applied", root.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("reason").ValueKind);
    }

    [Fact]
    public async Task Submit_wait_for_a_rejected_transaction_is_exit_one_with_the_reason()
    {
        await using var server = FakeNodeServer.Start();
        server.Node.CommitSubmissions = true;
        server.Node.VerdictFor = _ => (TransactionVerdicts.Rejected, "unbond of 9 exceeds the bonded 0");
        using var key = WriteKey(out var keyPath);

        var (exit, output, error) = await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "unbond", "--amount", "9", "--nonce", "1", "--wait");

        Assert.Equal(1, exit);
        Assert.Contains("committed at height 1", output, StringComparison.Ordinal);
        Assert.Contains("not applied: rejected: unbond of 9 exceeds the bonded 0", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_refused_by_the_node_is_exit_one()
    {
        await using var server = FakeNodeServer.Start();
        server.Node.Admit = _ => SubmitStatus.Busy;
        using var key = WriteKey(out var keyPath);

        var (exit, output, error) = await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "payload", "--nonce", "1", "--wait");

        Assert.Equal(1, exit);
        Assert.Contains(": busy", output, StringComparison.Ordinal);
        Assert.Contains("transaction refused by", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_wait_times_out_with_exit_one_and_the_node_height()
    {
        await using var server = FakeNodeServer.Start();
        server.Node.Commit();
        using var key = WriteKey(out var keyPath);

        var (exit, _, error) = await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", keyPath, "--kind", "payload", "--nonce", "1", "--wait", "--timeout", "0.3");

        Assert.Equal(1, exit);
        Assert.Contains("not committed within 0.3 s (node height is 1)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_with_an_unreadable_key_is_exit_two()
    {
        await using var server = FakeNodeServer.Start();
        var (exit, _, error) = await CliRun.RunAsync("tx", "submit", "--node", server.Address, "--key", Path.Combine(_directory, "missing.key"), "--kind", "payload", "--nonce", "1");
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        Assert.True(server.Node.Submitted.IsEmpty);
    }

    [Fact]
    public void Wire_verdict_codes_are_the_ledgers()
    {
        Assert.Equal((byte)TransactionVerdict.Applied, TransactionVerdicts.Applied);
        Assert.Equal((byte)TransactionVerdict.NotInterpreted, TransactionVerdicts.NotInterpreted);
        Assert.Equal((byte)TransactionVerdict.Malformed, TransactionVerdicts.Malformed);
        Assert.Equal((byte)TransactionVerdict.WrongChain, TransactionVerdicts.WrongChain);
        Assert.Equal((byte)TransactionVerdict.BadSignature, TransactionVerdicts.BadSignature);
        Assert.Equal((byte)TransactionVerdict.Rejected, TransactionVerdicts.Rejected);
        Assert.Equal(6, Enum.GetValues<TransactionVerdict>().Length);
    }

    private KeyPair WriteKey(out string path)
    {
        path = Path.Combine(_directory, "sender.key");
        var pair = KeyPair.Generate();
        pair.WritePrivateKeyFile(path, overwrite: true);
        return pair;
    }
}
